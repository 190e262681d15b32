namespace ReleaseCli.Core.Trust;

/// <summary>The outcome of checking one signature: the key that made it (when it could be read) and, when it does not count, why.</summary>
public sealed record SignatureVerdict(SshPublicKey? Key, string? Problem)
{
    public bool Valid => Problem is null;
}
