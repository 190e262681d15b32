namespace ReleaseCli.Core.Signing;

/// <summary>Where a sign request is.</summary>
public enum SignRequestState
{
    /// <summary>Accepted and not finished: poll again.</summary>
    InProgress,

    /// <summary>Signed: the files are ready to download.</summary>
    Succeeded,

    /// <summary>The service could not sign; its message says why.</summary>
    Failed,
}
