using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ReleaseCli.Core.Trust;

/// <summary>
/// An OpenSSH allowed_signers file (the format of <c>ssh-keygen -Y verify -f</c> and git's
/// <c>gpg.ssh.allowedSignersFile</c>): one line a key, <c>principals [options] keytype base64 [comment]</c>.
/// Options: <c>namespaces="…"</c>, <c>valid-after="…"</c>, <c>valid-before="…"</c>; <c>cert-authority</c>
/// is refused, since the tool does not verify certificates.
/// </summary>
public sealed class AllowedSigners
{
    private AllowedSigners(string path, string digest, IReadOnlyList<AllowedSigner> signers)
    {
        Path = path;
        Digest = digest;
        Signers = signers;
    }

    /// <summary>The file, for messages.</summary>
    public string Path { get; }

    /// <summary>
    /// <c>sha256:</c> and the hex SHA-256 of the bytes these signers were parsed from: the trust lists record the file
    /// by it, so the digest is always of the list that checks signatures, never of a later read of the file.
    /// </summary>
    public string Digest { get; }

    public IReadOnlyList<AllowedSigner> Signers { get; }

    /// <summary>Reads the file; a missing file or a line the tool cannot use is a usage error naming the file and line.</summary>
    public static AllowedSigners Load(string path)
    {
        var bytes = UserFile.Read(path, File.ReadAllBytes, error =>
            $"Cannot read the allowed signers file {path} (identity.allowedSigners in release.json): {error}. Create it with one line per person: `<email> <key type> <base64 key>`, as in `ssh-keygen -Y verify -f`.");

        return Parse(path, bytes);
    }

    /// <summary>Parses the bytes of an allowed signers file (UTF-8 unless a byte order mark says otherwise), named <paramref name="path"/> in messages.</summary>
    public static AllowedSigners Parse(string path, byte[] bytes)
    {
        string text;
        using (var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            text = reader.ReadToEnd();
        }

        var signers = new List<AllowedSigner>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            try
            {
                signers.Add(ParseLine(i + 1, line));
            }
            catch (FormatException ex)
            {
                throw ReleaseException.Usage($"The allowed signers file {path}, line {i + 1}: {ex.Message}. Each line is `<principals> [options] <key type> <base64 key> [comment]`, e.g. `ada@example.com ssh-ed25519 AAAAC3Nz…`.");
            }
        }

        return new AllowedSigners(path, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), signers);
    }

    /// <summary>
    /// The line that allows <paramref name="principal"/> to sign with <paramref name="key"/> in <paramref name="namespace"/>
    /// at <paramref name="time"/>, or null with the reason none does.
    /// </summary>
    public AllowedSigner? Find(string principal, SshPublicKey key, string @namespace, DateTimeOffset time, out string? problem)
    {
        problem = null;
        var forKey = Signers.Where(s => s.Key.Equals(key)).ToList();
        var forPrincipal = forKey.Where(s => s.Matches(principal)).ToList();
        if (forPrincipal.Count == 0)
        {
            var others = forKey.SelectMany(s => s.Principals).ToList();
            problem = forKey.Count == 0
                ? $"the key {key.Fingerprint} is not in {Path}"
                : $"the key {key.Fingerprint} is allowed in {Path} for {string.Join(", ", others)}, not for {principal}";
            return null;
        }

        foreach (var signer in forPrincipal)
        {
            if (signer.Namespaces is { } namespaces && !AllowedSigner.MatchesPatternList(namespaces, @namespace))
            {
                problem = $"line {signer.Line} of {Path} allows the key only for namespaces {string.Join(",", namespaces)}, not {@namespace}";
            }
            else if (signer.ValidAfter is { } after && time < after)
            {
                problem = $"line {signer.Line} of {Path} allows the key only from {after:u}, and the signature is from {time:u}";
            }
            else if (signer.ValidBefore is { } before && time > before)
            {
                problem = $"line {signer.Line} of {Path} allowed the key only until {before:u}, and the signature is from {time:u}";
            }
            else
            {
                problem = null;
                return signer;
            }
        }

        return null;
    }

    /// <summary>
    /// Checks an armored SSHSIG signature the way <c>ssh-keygen -Y verify -f &lt;this file&gt; -I principal -n namespace</c>
    /// does: made in <paramref name="namespace"/>, valid over <paramref name="message"/>, by a key this file allows
    /// <paramref name="principal"/> to sign with in that namespace at <paramref name="time"/>.
    /// </summary>
    public SignatureVerdict Verify(string armored, ReadOnlySpan<byte> message, string principal, string @namespace, DateTimeOffset time)
    {
        SshSignature signature;
        try
        {
            signature = SshSignature.Parse(armored);
        }
        catch (FormatException ex)
        {
            return new SignatureVerdict(null, $"the signature cannot be read: {ex.Message}");
        }

        if (!string.Equals(signature.Namespace, @namespace, StringComparison.Ordinal))
        {
            return new SignatureVerdict(signature.PublicKey, $"the signature was made for namespace '{signature.Namespace}', not '{@namespace}'");
        }

        if (!signature.Verify(message, out var problem))
        {
            return new SignatureVerdict(signature.PublicKey, problem);
        }

        return Find(principal, signature.PublicKey, @namespace, time, out problem) is null
            ? new SignatureVerdict(signature.PublicKey, problem)
            : new SignatureVerdict(signature.PublicKey, null);
    }

    /// <summary>The keys listed for <paramref name="principal"/>, for messages and for choosing an agent key.</summary>
    public IReadOnlyList<AllowedSigner> For(string principal) => [.. Signers.Where(s => s.Matches(principal))];

    private static AllowedSigner ParseLine(int number, string line)
    {
        var at = 0;
        var principals = NextToken(line, ref at) ?? throw new FormatException("it names no principal");
        var token = NextToken(line, ref at) ?? throw new FormatException("it has no key");
        IReadOnlyList<string>? namespaces = null;
        DateTimeOffset? validAfter = null, validBefore = null;
        if (!SshKeyType.All.Contains(token) && !token.StartsWith("sk-", StringComparison.Ordinal) && !token.Contains("-cert-v01@", StringComparison.Ordinal) && token != "ssh-dss")
        {
            foreach (var (name, value) in ParseOptions(token))
            {
                switch (name.ToLowerInvariant())
                {
                    case "cert-authority":
                        throw new FormatException("cert-authority (keys that sign certificates) is not supported; list each person's own key instead");
                    case "namespaces":
                        namespaces = [.. (value ?? throw new FormatException("namespaces needs a value, e.g. namespaces=\"release:*\"")).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
                        break;
                    case "valid-after":
                        validAfter = ParseTime(name, value);
                        break;
                    case "valid-before":
                        validBefore = ParseTime(name, value);
                        break;
                    default:
                        throw new FormatException($"the option '{name}' is not one of namespaces, valid-after, valid-before");
                }
            }

            token = NextToken(line, ref at) ?? throw new FormatException("it has no key type after its options");
        }

        if (!SshKeyType.All.Contains(token))
        {
            throw new FormatException($"the key type '{token}' is not supported (supported: {string.Join(", ", SshKeyType.All)})");
        }

        var base64 = NextToken(line, ref at) ?? throw new FormatException("it has a key type but no key");
        SshPublicKey key;
        try
        {
            key = SshPublicKey.Parse(token, base64);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"its key cannot be read ({ex.Message})");
        }

        return new AllowedSigner(number, [.. principals.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)], key, namespaces, validAfter, validBefore);
    }

    /// <summary>The next whitespace-separated token; a double-quoted part may hold spaces and commas, and loses its quotes.</summary>
    private static string? NextToken(string line, ref int at)
    {
        while (at < line.Length && char.IsWhiteSpace(line[at]))
        {
            at++;
        }

        if (at >= line.Length)
        {
            return null;
        }

        var token = new StringBuilder();
        var quoted = false;
        for (; at < line.Length && (quoted || !char.IsWhiteSpace(line[at])); at++)
        {
            if (line[at] == '"')
            {
                quoted = !quoted;
            }

            token.Append(line[at]);
        }

        if (quoted)
        {
            throw new FormatException("a quote is not closed");
        }

        var text = token.ToString();
        return text.Length >= 2 && text[0] == '"' && text[^1] == '"' && text.Count(c => c == '"') == 2 ? text[1..^1] : text;
    }

    /// <summary>Splits <c>a,b="x,y",c</c> into names and unquoted values.</summary>
    private static IEnumerable<(string Name, string? Value)> ParseOptions(string options)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i <= options.Length; i++)
        {
            if (i < options.Length && options[i] == '"')
            {
                quoted = !quoted;
            }
            else if (i == options.Length || (options[i] == ',' && !quoted))
            {
                var option = options[start..i];
                start = i + 1;
                var equals = option.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0)
                {
                    yield return (option, null);
                    continue;
                }

                var value = option[(equals + 1)..];
                if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
                {
                    throw new FormatException($"the value of {option[..equals]} must be in double quotes");
                }

                yield return (option[..equals], value[1..^1]);
            }
        }
    }

    /// <summary>OpenSSH's time form: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, local time unless it ends in Z.</summary>
    private static DateTimeOffset ParseTime(string name, string? value)
    {
        var text = value ?? throw new FormatException($"{name} needs a value, e.g. {name}=\"20260101\"");
        var utc = text.EndsWith('Z') || text.EndsWith('z');
        var digits = utc ? text[..^1] : text;
        string[] formats = ["yyyyMMdd", "yyyyMMddHHmm", "yyyyMMddHHmmss"];
        if (!DateTime.TryParseExact(digits, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw new FormatException($"{name}=\"{text}\" is not a time of the form YYYYMMDD[HHMM[SS]][Z]");
        }

        return utc ? new DateTimeOffset(time, TimeSpan.Zero) : new DateTimeOffset(time, TimeZoneInfo.Local.GetUtcOffset(time));
    }
}
