using System.Text;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Ledger;

namespace ReleaseCli.Core.Trust;

/// <summary>
/// The release's rules for signed ledger events: which events are signed (decisions and the start and end of
/// ring runs), the namespace their signatures are made in (<c>release:&lt;release id&gt;</c>, so a signature made
/// for one release or for git never counts in another), the allowed signers, and whether signatures are required.
/// </summary>
public sealed class LedgerTrust
{
    public LedgerTrust(string releaseId, SignatureRequirement require, AllowedSigners? signers, string? product = null)
    {
        ReleaseId = releaseId;
        Product = product;
        Namespace = "release:" + releaseId;
        Require = require;
        Signers = signers;
    }

    public string ReleaseId { get; }

    /// <summary>The product of the release, which the ledger's first line must name beside the release id.</summary>
    public string? Product { get; }

    public string Namespace { get; }

    public SignatureRequirement Require { get; }

    /// <summary>The allowed signers, or null when the definition names none (nothing can be verified).</summary>
    public AllowedSigners? Signers { get; }

    /// <summary>The rules of <paramref name="definition"/>: reads its allowed_signers file, if it names one.</summary>
    public static LedgerTrust For(ReleaseDefinition definition) => new(
        definition.ReleaseId,
        definition.Identity.Require,
        definition.Identity.AllowedSigners is { } file ? AllowedSigners.Load(definition.ResolvePath(file)) : null,
        definition.Product);

    /// <summary>
    /// Checks that the ledger's first line names this release and product: each ledger begins with the release it
    /// belongs to, so one copied from another release (its contracts with it) is refused, whatever signatures it holds.
    /// </summary>
    public void CheckBinding(string ledgerPath, LedgerEvent first)
    {
        if (first.Release is null)
        {
            throw new LedgerIntegrityException(ledgerPath, 1, $"it does not name the release the ledger belongs to, as the first line the tool writes always does (here: release {ReleaseId}{ProductText(Product)}): the ledger was made or edited by hand");
        }

        if (!string.Equals(first.Release, ReleaseId, StringComparison.Ordinal)
            || (Product is not null && !string.Equals(first.Product, Product, StringComparison.Ordinal)))
        {
            throw new LedgerIntegrityException(ledgerPath, 1, $"it begins the ledger of release {first.Release}{ProductText(first.Product)}, but release.json defines release {ReleaseId}{ProductText(Product)}: the ledger (and whatever came with it) was copied from another release. Keep each release's store apart; start this release in an empty store");
        }
    }

    private static string ProductText(string? product) => product is null ? string.Empty : $" of {product}";

    /// <summary>
    /// The key <paramref name="actor"/> signs with: the file <paramref name="keyPath"/> (--signing-key), else the
    /// first key in ssh-agent that the allowed signers list for them. Null when nothing needs or can check a
    /// signature; a usage error when signatures are required and no allowed key is at hand.
    /// </summary>
    public async Task<EventSigner?> SignerForAsync(string actor, string? keyPath, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (Signers is null)
        {
            return keyPath is null
                ? null
                : throw ReleaseException.Usage("--signing-key was given, but release.json names no allowed signers to check signatures against. Add \"identity\": { \"allowedSigners\": \"allowed_signers\" } to it, or leave out --signing-key.");
        }

        if (keyPath is not null)
        {
            var key = SshPrivateKey.Load(keyPath);
            if (Signers.Find(actor, key.PublicKey, Namespace, now, out var problem) is null)
            {
                key.Dispose();
                throw ReleaseException.Usage($"{actor} may not sign with {keyPath} ({key.PublicKey.Fingerprint}): {problem}. {HowToAllow(actor, key.PublicKey)}");
            }

            return new EventSigner(actor, key);
        }

        var agent = SshAgentClient.FromEnvironment();
        var held = agent is null ? [] : await agent.ListKeysAsync(cancellationToken).ConfigureAwait(false);
        var allowed = held.FirstOrDefault(k => Signers.Find(actor, k.PublicKey, Namespace, now, out _) is not null);
        if (allowed is not null)
        {
            return new EventSigner(actor, allowed);
        }

        if (Require == SignatureRequirement.None)
        {
            return null;
        }

        var where = agent is null
            ? "no key was given (no --signing-key, and SSH_AUTH_SOCK names no ssh-agent)"
            : $"none of the {held.Count} key(s) in ssh-agent ({agent.SocketPath}) is listed for {actor}";
        throw ReleaseException.Usage($"everything {actor} records must be signed (identity.require is \"signed\"), but {where}. Pass --signing-key <private key file>, or load the key into ssh-agent with `ssh-add <key file>`. {HowToAllow(actor, null)}");
    }

    /// <summary>
    /// Checks one line's signature when it is read: signed by a key the allowed signers list for the event's actor,
    /// over the line as hashed without the signature. Returns whether the event is verified; throws naming the line
    /// when it is forged, or unsigned where signatures are required.
    /// </summary>
    public bool Check(string ledgerPath, int number, string line, LedgerEvent entry)
    {
        if (entry.Signature is null)
        {
            if (Require == SignatureRequirement.Signed)
            {
                throw new LedgerIntegrityException(ledgerPath, number, $"its {entry.Type} event{ByActor(entry)} carries no signature, and the definition requires every line to be signed by whoever wrote it (identity.require \"signed\"): the tool did not write it for that person");
            }

            return false;
        }

        if (Signers is null)
        {
            return false;
        }

        if (entry.Signer is null || entry.Actor is null)
        {
            throw new LedgerIntegrityException(ledgerPath, number, "it carries a signature but names no signer or actor");
        }

        if (!string.Equals(entry.Signer.Principal, entry.Actor, StringComparison.Ordinal))
        {
            throw new LedgerIntegrityException(ledgerPath, number, $"it is signed by {entry.Signer.Principal}, but its actor is {entry.Actor}");
        }

        var signed = LedgerSerializer.SignedText(line)
            ?? throw new LedgerIntegrityException(ledgerPath, number, "its signature is not the last field before its hash, where the tool writes it");
        var verdict = Signers.Verify(entry.Signature, Encoding.UTF8.GetBytes(signed), entry.Actor, Namespace, entry.Time);
        if (!verdict.Valid)
        {
            throw new LedgerIntegrityException(ledgerPath, number, $"the signature of its {entry.Type} event{ByActor(entry)} does not hold: {verdict.Problem}");
        }

        if (!string.Equals(verdict.Key!.Fingerprint, entry.Signer.Fingerprint, StringComparison.Ordinal))
        {
            throw new LedgerIntegrityException(ledgerPath, number, $"its signer names the key {entry.Signer.Fingerprint}, but the signature was made with {verdict.Key.Fingerprint}");
        }

        return true;
    }

    /// <summary>
    /// Checks the head's signature when the ledger is read: made in the release's namespace over the head's
    /// <see cref="LedgerHead.SignedBytes"/>, by a key the allowed signers list for the principal who wrote the line it
    /// records (<paramref name="last"/>), with the fingerprint it names. Returns whether the head is verified; throws
    /// naming the head when it is unsigned where signatures are required, or its signature does not hold.
    /// </summary>
    public bool CheckHead(string headPath, LedgerHead head, LedgerEvent last)
    {
        var records = $"the head (which records line {head.Seq})";
        if (head.Signature is null)
        {
            return Require == SignatureRequirement.Signed
                ? throw new LedgerIntegrityException(headPath, 0, $"{records} carries no signature, and the definition requires signatures (identity.require \"signed\"): the tool signs every head it writes with the key of whoever wrote the line it records{ByActor(last)}, so the head was rewritten by hand (lines removed from the end, or the head recomputed)")
                : false;
        }

        if (Signers is null)
        {
            return false;
        }

        if (head.Signer is null)
        {
            throw new LedgerIntegrityException(headPath, 0, $"{records} carries a signature but names no signer");
        }

        if (last.Actor is not null && !string.Equals(head.Signer.Principal, last.Actor, StringComparison.Ordinal))
        {
            throw new LedgerIntegrityException(headPath, 0, $"{records} is signed by {head.Signer.Principal}, but line {head.Seq} was written by {last.Actor}, who signs the head after their line");
        }

        var verdict = Signers.Verify(head.Signature, head.SignedBytes(ReleaseId), head.Signer.Principal, Namespace, last.Time);
        if (!verdict.Valid)
        {
            throw new LedgerIntegrityException(headPath, 0, $"the signature of {records} by {head.Signer.Principal} does not hold: {verdict.Problem} (lines were removed from the end and the head rewritten, or the head was copied from elsewhere)");
        }

        if (!string.Equals(verdict.Key!.Fingerprint, head.Signer.Fingerprint, StringComparison.Ordinal))
        {
            throw new LedgerIntegrityException(headPath, 0, $"{records} names the key {head.Signer.Fingerprint}, but its signature was made with {verdict.Key.Fingerprint}");
        }

        return true;
    }

    private static string ByActor(LedgerEvent entry) => entry.Actor is null ? string.Empty : $" by {entry.Actor}";

    private string HowToAllow(string actor, SshPublicKey? key)
    {
        var listed = Signers!.For(actor);
        var line = $"`{actor} {key?.OpenSshText ?? "ssh-ed25519 <base64 public key>"}`";
        return listed.Count == 0
            ? $"{Signers.Path} lists no key for {actor}: ask the release's owners to add the line {line} to it."
            : $"{Signers.Path} lists for {actor}: {string.Join(", ", listed.Select(s => $"{s.Key.Fingerprint} (line {s.Line})"))}; use that key, or ask the release's owners to add {line}.";
    }
}
