namespace ReleaseCli.Output;

/// <summary>How <see cref="PendingProgressDisplay"/> shows a wait.</summary>
public enum PendingProgressForm
{
    /// <summary>stderr is a terminal: one line with a bar, rewritten in place.</summary>
    Terminal,

    /// <summary>stderr is redirected: a plain line when something changed, and now and then while nothing does.</summary>
    Plain,

    /// <summary>Under Azure Pipelines (TF_BUILD): <c>##vso[task.setprogress]</c> when something changed, and the plain lines.</summary>
    AzurePipelines,
}
