namespace ReleaseCli.IntegrationTests.Reliability;

/// <summary>
/// The cases the reliability suite tried and whether each held, one line per case. With RELIABILITY_REPORT set,
/// each line is also appended to that file (tab-separated: area, case, held, detail) for eng/reliability/run.sh's table.
/// </summary>
public sealed class ReliabilityTable
{
    private static readonly Lock FileLock = new();
    private readonly List<(string Case, bool Held, string Detail)> _rows = [];

    public ReliabilityTable(string area)
    {
        Area = area;
    }

    public string Area { get; }

    public IReadOnlyList<string> Failures => [.. _rows.Where(r => !r.Held).Select(r => $"{Area} / {r.Case}: {r.Detail}")];

    /// <summary>How many cases whose name contains <paramref name="text"/> were recorded.</summary>
    public int Count(string text) => _rows.Count(r => r.Case.Contains(text, StringComparison.Ordinal));

    public void Record(string name, bool held, string detail = "")
    {
        var line = $"{Area}\t{name}\t{(held ? "held" : "FAILED")}\t{detail.ReplaceLineEndings(" ")}";
        lock (FileLock)
        {
            _rows.Add((name, held, detail));
            if (Environment.GetEnvironmentVariable("RELIABILITY_REPORT") is { Length: > 0 } report)
            {
                File.AppendAllLines(report, [line]);
            }
        }
    }

    /// <summary>The run's counts, from RELIABILITY_KILLS_PER_RING and friends; the short defaults are what CI runs.</summary>
    public static int Setting(string name, int shortDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 ? value : shortDefault;

    public void AssertAllHeld() => Assert.True(Failures.Count == 0, string.Join('\n', Failures));
}
