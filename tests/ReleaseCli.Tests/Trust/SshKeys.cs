using ReleaseCli.Tests.Staging;

namespace ReleaseCli.Tests.Trust;

/// <summary>Real keys made by <c>ssh-keygen</c> in a temporary folder, one per algorithm the tool supports.</summary>
public sealed class SshKeys : IDisposable
{
    private readonly TestDirectory _directory = new();

    public static TheoryData<string> Algorithms => ["ed25519", "ecdsa-256", "ecdsa-384", "ecdsa-521", "rsa"];

    public string Folder => _directory.Path;

    /// <summary>The private key file of <paramref name="algorithm"/> for <paramref name="owner"/>, made on first use (no passphrase).</summary>
    public async Task<string> KeyAsync(string algorithm, string owner = "ada", string? passphrase = null)
    {
        var path = _directory.Combine($"{owner}-{algorithm}{(passphrase is null ? string.Empty : "-locked")}");
        if (File.Exists(path))
        {
            return path;
        }

        string[] type = algorithm switch
        {
            "rsa" => ["-t", "rsa", "-b", "2048"],
            var ecdsa when ecdsa.StartsWith("ecdsa-", StringComparison.Ordinal) => ["-t", "ecdsa", "-b", ecdsa["ecdsa-".Length..]],
            _ => ["-t", algorithm],
        };
        await RunAsync("ssh-keygen", [.. type, "-q", "-N", passphrase ?? string.Empty, "-C", owner, "-f", path]);
        return path;
    }

    /// <summary>The public key line (type and base64) of a key file.</summary>
    public static string PublicKeyText(string keyPath)
    {
        var parts = File.ReadAllText(keyPath + ".pub").Split(' ');
        return $"{parts[0]} {parts[1]}";
    }

    /// <summary>Writes an allowed_signers file with the given lines and returns its path.</summary>
    public string AllowedSigners(params string[] lines)
    {
        var path = _directory.Combine($"allowed_signers-{Guid.NewGuid():N}");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    internal static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> arguments, string? standardInput = null)
    {
        var result = await ExternalTool.RunAsync(tool, arguments, standardInput: standardInput);
        Assert.True(result.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}{result.Output}");
        return result;
    }

    public void Dispose() => _directory.Dispose();
}
