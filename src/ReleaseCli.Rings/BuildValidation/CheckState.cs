namespace ReleaseCli.Rings.BuildValidation;

public enum CheckState
{
    Passed,
    Failed,
    /// <summary>The check needs settings that are missing (e.g. no BinSkim path); never counted as passed.</summary>
    NotConfigured,
    /// <summary>The check ran but none of the files, nor anything inside them, was in its scope (no package for the package check, no portable PDB for SourceLink); never counted as passed.</summary>
    NothingToCheck,
}
