namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>What every validation step's settings have: how many drop files the shared pass checks at once.</summary>
public abstract record ValidationStepSettings
{
    /// <summary>Top-level files checked at once, 1–64; default the number of processors. The pass takes the last step's.</summary>
    public int? MaxParallelism { get; init; }
}
