namespace ReleaseCli.Core.Trust;

/// <summary>A key that can sign: a private key file, or a key held by ssh-agent.</summary>
public interface ISshSigner
{
    SshPublicKey PublicKey { get; }

    /// <summary>Where the key is, for messages (a file path, or "ssh-agent" and the key's comment).</summary>
    string Source { get; }

    /// <summary>Signs <paramref name="data"/>; returns the SSH signature blob (<c>string algorithm, string signature</c>).</summary>
    Task<byte[]> SignAsync(byte[] data, CancellationToken cancellationToken);
}
