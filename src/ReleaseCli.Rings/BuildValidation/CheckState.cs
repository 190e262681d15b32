namespace ReleaseCli.Rings.BuildValidation;

public enum CheckState
{
    Passed,
    Failed,
    /// <summary>The check needs settings that are missing (e.g. no BinSkim path); never counted as passed.</summary>
    NotConfigured,
}
