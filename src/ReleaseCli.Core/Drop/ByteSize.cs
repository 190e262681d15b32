using System.Globalization;

namespace ReleaseCli.Core.Drop;

public static class ByteSize
{
    /// <summary>Bytes in binary units with one decimal: "512 B", "3.4 MiB", "21.7 GiB".</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:F1} {units[unit]}");
    }
}
