namespace ReleaseCli.Tests.Engine.Kinds;

/// <summary>
/// Something outside the tool that runs work and is asked about it by id (as Azure DevOps runs are): it counts
/// what was started, and the test decides when each run ends and how.
/// </summary>
public sealed class FakeExternalSystem
{
    private readonly Dictionary<string, bool?> _runs = [];
    private readonly HashSet<string> _failingLegs = [];

    public int Starts { get; private set; }

    public int Polls { get; private set; }

    /// <summary>Runs end by themselves after this many polls (0: only when the test completes them).</summary>
    public int FinishAfterPolls { get; set; }

    public IReadOnlyCollection<string> Ids
    {
        get
        {
            lock (_runs)
            {
                return [.. _runs.Keys];
            }
        }
    }

    public void FailLeg(string leg) => _failingLegs.Add(leg);

    public string Start(string? leg)
    {
        lock (_runs)
        {
            Starts++;
            var id = $"run-{Starts}{(leg is null ? string.Empty : $"-{leg}")}";
            _runs[id] = null;
            return id;
        }
    }

    public void Complete(string id, bool succeeded)
    {
        lock (_runs)
        {
            _runs[id] = succeeded;
        }
    }

    /// <summary>Null while running; then whether it succeeded.</summary>
    public bool? Poll(string id, string? leg)
    {
        lock (_runs)
        {
            Polls++;
            if (_runs[id] is null && FinishAfterPolls > 0 && Polls >= FinishAfterPolls)
            {
                _runs[id] = leg is null || !_failingLegs.Contains(leg);
            }

            return _runs[id];
        }
    }
}
