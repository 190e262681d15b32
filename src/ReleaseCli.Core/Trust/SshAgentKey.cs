namespace ReleaseCli.Core.Trust;

/// <summary>A key held by ssh-agent; it signs through the agent.</summary>
public sealed class SshAgentKey(SshAgentClient agent, SshPublicKey publicKey, string comment) : ISshSigner
{
    public SshPublicKey PublicKey => publicKey;

    public string Comment => comment;

    public string Source => $"ssh-agent key '{comment}'";

    public Task<byte[]> SignAsync(byte[] data, CancellationToken cancellationToken) => agent.SignAsync(publicKey, data, cancellationToken);
}
