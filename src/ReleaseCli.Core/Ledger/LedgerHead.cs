using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// The last line written, kept beside the ledger so a truncated tail is detected. Where the definition names allowed
/// signers, whoever wrote that line signs the head: <see cref="Signer"/> and <see cref="Signature"/> (an armored SSHSIG
/// signature over <see cref="SignedBytes"/>), so lines removed from the end cannot be hidden by rewriting it.
/// </summary>
[JsonConverter(typeof(LedgerHeadJsonConverter))]
public sealed record LedgerHead(int Seq, string Hash)
{
    /// <summary>Who signed the head: the principal who wrote its line, and the key's fingerprint. Not signed itself.</summary>
    public LedgerSigner? Signer { get; init; }

    public string? Signature { get; init; }

    /// <summary>
    /// What the head's signature covers: <c>{"release":"&lt;release id&gt;","seq":N,"hash":"&lt;hash of line N&gt;"}</c>, UTF-8,
    /// without white space. The release id is in it (and in the signature's namespace), so a head signed for one
    /// release never stands for another.
    /// </summary>
    public byte[] SignedBytes(string releaseId) =>
        Encoding.UTF8.GetBytes($"{{\"release\":{JsonSerializer.Serialize(releaseId, LedgerJsonContext.Default.String)},\"seq\":{Seq.ToString(System.Globalization.CultureInfo.InvariantCulture)},\"hash\":\"{Hash}\"}}");
}
