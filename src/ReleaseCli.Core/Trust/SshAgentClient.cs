using System.Buffers.Binary;
using System.Net.Sockets;

namespace ReleaseCli.Core.Trust;

/// <summary>
/// Talks to ssh-agent over its Unix socket (<c>SSH_AUTH_SOCK</c>): lists the keys it holds and asks it to sign,
/// so a key with a passphrase, or one on a hardware token behind the agent, never passes through the tool.
/// </summary>
public sealed class SshAgentClient(string socketPath)
{
    private const byte Failure = 5;
    private const byte RequestIdentities = 11;
    private const byte IdentitiesAnswer = 12;
    private const byte SignRequest = 13;
    private const byte SignResponse = 14;

    /// <summary>Asks an RSA key for rsa-sha2-512 rather than the SHA-1 "ssh-rsa" signature.</summary>
    private const uint RsaSha2512Flag = 4;

    private const int MaxMessage = 256 * 1024;

    public string SocketPath => socketPath;

    /// <summary>The agent from <c>SSH_AUTH_SOCK</c>, or null when none is set.</summary>
    public static SshAgentClient? FromEnvironment() =>
        Environment.GetEnvironmentVariable("SSH_AUTH_SOCK") is { Length: > 0 } path ? new SshAgentClient(path) : null;

    /// <summary>The keys the agent holds that the tool can use (other types, such as certificates, are left out).</summary>
    public async Task<IReadOnlyList<SshAgentKey>> ListKeysAsync(CancellationToken cancellationToken)
    {
        var answer = await RequestAsync([RequestIdentities], cancellationToken).ConfigureAwait(false);
        if (answer.Span[0] != IdentitiesAnswer)
        {
            throw Refused("listing its keys", answer.Span[0]);
        }

        var reader = new SshWireReader(answer[1..]);
        var count = reader.ReadUInt32();
        var keys = new List<SshAgentKey>();
        for (var i = 0; i < count; i++)
        {
            var blob = reader.ReadString();
            var comment = reader.ReadText();
            try
            {
                keys.Add(new SshAgentKey(this, SshPublicKey.FromBlob(blob), comment));
            }
            catch (FormatException)
            {
                // A key type the tool does not sign with; another key may serve.
            }
        }

        return keys;
    }

    /// <summary>Asks the agent to sign with <paramref name="key"/>; returns the SSH signature blob.</summary>
    public async Task<byte[]> SignAsync(SshPublicKey key, byte[] data, CancellationToken cancellationToken)
    {
        var request = new SshWireWriter()
            .Byte(SignRequest)
            .String(key.Blob)
            .String(data)
            .UInt32(key.KeyType == SshKeyType.Rsa ? RsaSha2512Flag : 0)
            .ToArray();
        var answer = await RequestAsync(request, cancellationToken).ConfigureAwait(false);
        if (answer.Span[0] != SignResponse)
        {
            throw Refused($"signing with {key.Fingerprint}", answer.Span[0]);
        }

        return new SshWireReader(answer[1..]).ReadString().ToArray();
    }

    private async Task<ReadOnlyMemory<byte>> RequestAsync(byte[] message, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            var framed = new byte[4 + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(framed, (uint)message.Length);
            message.CopyTo(framed, 4);
            await socket.SendAsync(framed, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var header = new byte[4];
            await ReceiveExactlyAsync(socket, header, cancellationToken).ConfigureAwait(false);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            if (length is 0 or > MaxMessage)
            {
                throw ReleaseException.Usage($"The ssh-agent at {socketPath} (SSH_AUTH_SOCK) sent an answer of {length} bytes, which is not an agent's answer. Check that SSH_AUTH_SOCK points to ssh-agent.");
            }

            var body = new byte[length];
            await ReceiveExactlyAsync(socket, body, cancellationToken).ConfigureAwait(false);
            return body;
        }
        catch (SocketException ex)
        {
            throw ReleaseException.Usage($"Cannot reach ssh-agent at {socketPath} (SSH_AUTH_SOCK): {ex.Message}. Start it (`eval \"$(ssh-agent)\"; ssh-add <key>`), or pass the key file with --signing-key.");
        }
    }

    private async Task ReceiveExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        for (var read = 0; read < buffer.Length;)
        {
            var got = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (got == 0)
            {
                throw ReleaseException.Usage($"ssh-agent at {socketPath} (SSH_AUTH_SOCK) closed the connection before answering. Check that it is running.");
            }

            read += got;
        }
    }

    private ReleaseException Refused(string what, byte answer) => ReleaseException.Usage(answer == Failure
        ? $"ssh-agent at {socketPath} refused {what} (a key that needs confirmation was not confirmed, or the agent is locked: `ssh-add -X` unlocks it)."
        : $"ssh-agent at {socketPath} answered {what} with message type {answer}, which the tool does not expect.");
}
