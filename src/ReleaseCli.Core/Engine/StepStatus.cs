namespace ReleaseCli.Core.Engine;

public enum StepStatus
{
    /// <summary>Ran and did its work.</summary>
    Succeeded,

    /// <summary>Ran and failed.</summary>
    Failed,

    /// <summary>Started something outside that has not finished.</summary>
    Pending,

    /// <summary>Settings needed to run it are missing; never counted as passed.</summary>
    NotConfigured,

    /// <summary>Succeeded earlier with the same input digest, so not run again.</summary>
    Reused,

    /// <summary>Not run because a step it depends on did not succeed.</summary>
    Blocked,

    /// <summary>Threw something the tool did not expect: a defect of the tool, which no override can pass.</summary>
    Defect,
}
