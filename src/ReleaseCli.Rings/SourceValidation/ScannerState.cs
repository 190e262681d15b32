namespace ReleaseCli.Rings.SourceValidation;

/// <summary>How one scanner went in one leg. Only <see cref="Passed"/> counts as passed.</summary>
public enum ScannerState
{
    /// <summary>Ran to its end and found nothing at a failing level.</summary>
    Passed,

    /// <summary>Ran to its end and found something at a failing level (or, for a command, exited with a failing code).</summary>
    Failed,

    /// <summary>Could not run or did not finish (not installed, crashed, wrote no results): the leg fails.</summary>
    Error,

    /// <summary>Turned off in the settings: not run, and never reported as passed.</summary>
    NotConfigured,
}
