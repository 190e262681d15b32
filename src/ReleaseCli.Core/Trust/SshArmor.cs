namespace ReleaseCli.Core.Trust;

/// <summary>The armored (PEM-like) text OpenSSH writes keys and signatures in: a BEGIN line, base64, an END line.</summary>
internal static class SshArmor
{
    /// <summary>
    /// The bytes after <paramref name="magic"/> inside the armor labelled <paramref name="label"/>, for a wire reader;
    /// <see cref="FormatException"/> says what is wrong (<paramref name="what"/> names the expected content).
    /// </summary>
    public static ReadOnlyMemory<byte> Open(string text, string label, ReadOnlySpan<byte> magic, string what)
    {
        var beginLine = $"-----BEGIN {label}-----";
        var endLine = $"-----END {label}-----";
        var begin = text.IndexOf(beginLine, StringComparison.Ordinal);
        var end = text.IndexOf(endLine, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new FormatException($"it is not {what} ({beginLine} … {endLine})");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text[(begin + beginLine.Length)..end].ReplaceLineEndings(string.Empty).Trim());
        }
        catch (FormatException)
        {
            throw new FormatException("its body is not valid base64");
        }

        return bytes.AsSpan().StartsWith(magic)
            ? bytes.AsMemory(magic.Length)
            : throw new FormatException($"its content is not {what}");
    }
}
