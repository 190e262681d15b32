using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using ReleaseCli.Core.Security;
using ReleaseCli.Rings.BuildValidation.Packages;
using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>
/// The settings of the validation steps in release.json: which keys each step takes, their validation
/// with messages naming the key, and how they become <see cref="ValidationOptions"/>. Relative paths
/// resolve against the definition's folder.
/// </summary>
public static class ValidationSettings
{
    private static readonly Dictionary<ValidationCheck, string[]> Keys = new()
    {
        [ValidationCheck.Signing] = ["trustedRoots", "trustedRootFingerprints", "expectedSigners", "packageSigners", "revocationMode", "exclusionsFile", "sdkTrustedRoots", "unsupportedTypes", "maxParallelism"],
        [ValidationCheck.Packages] = ["requiredAuthors", "requireLicense", "requireProjectUrl", "requireIcon", "requireRepository", "maxParallelism"],
        [ValidationCheck.Symbols] = ["symbolServer", "maxParallelism"],
        [ValidationCheck.SourceLink] = ["online", "maxParallelism"],
        [ValidationCheck.Checksum] = ["maxParallelism"],
        [ValidationCheck.Assets] = ["maxParallelism"],
        [ValidationCheck.BinSkim] = ["path", "maxParallelism"],
    };

    /// <summary>The settings a validation step of <paramref name="check"/> takes.</summary>
    public static IReadOnlyCollection<string> KeysOf(ValidationCheck check) => Keys[check];

    public static IEnumerable<(string Key, string Message)> Validate(ValidationCheck check, JsonElement settings, string stepKind)
    {
        if (settings.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            yield break;
        }

        if (settings.ValueKind != JsonValueKind.Object)
        {
            yield return (string.Empty, "expected an object of settings.");
            yield break;
        }

        foreach (var property in settings.EnumerateObject())
        {
            var value = property.Value;
            string? problem = property.Name switch
            {
                _ when !Keys[check].Contains(property.Name) => $"unknown setting; {stepKind} takes {string.Join(", ", Keys[check])}.",
                "trustedRoots" or "expectedSigners" or "requiredAuthors" => IsStringArray(value) ? null : "expected an array of strings.",
                "trustedRootFingerprints" => IsStringArray(value) && value.EnumerateArray().All(v => IsSha256(v.GetString()!)) ? null : "expected an array of SHA-256 fingerprints (64 hexadecimal digits each).",
                "packageSigners" => ValidateSigners(value),
                "revocationMode" => value.ValueKind == JsonValueKind.String && value.GetString() is "online" or "offline" ? null : "expected \"online\" or \"offline\".",
                "unsupportedTypes" => value.ValueKind == JsonValueKind.String && TryParseUnsupportedTypes(value.GetString()!, out _) ? null : "expected \"error\" (a file of a type whose signature this tool cannot verify fails the check unless the exclusions file lists it) or \"warn\" (it is reported as a warning).",
                "exclusionsFile" or "sdkTrustedRoots" or "path" => value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0 ? null : "expected a path.",
                "requireLicense" or "requireProjectUrl" or "requireIcon" or "requireRepository" or "online" => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : "expected true or false.",
                "symbolServer" => SymbolServerProblem(value.ValueKind == JsonValueKind.String ? value.GetString() : null),
                "maxParallelism" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n is >= 1 and <= 64 ? null : "expected a whole number from 1 to 64.",
                _ => null,
            };
            if (problem is not null)
            {
                yield return (property.Name, problem);
            }
        }
    }

    /// <summary>Applies one step's settings to the options (several validation steps of a ring contribute to one pass).</summary>
    public static ValidationOptions Apply(ValidationOptions options, ValidationCheck check, JsonElement settings, Func<string, string> resolvePath)
    {
        options = options with { Checks = new HashSet<ValidationCheck>(options.Checks) { check } };
        if (settings.ValueKind != JsonValueKind.Object)
        {
            return options;
        }

        if (settings.TryGetProperty("maxParallelism", out var parallel))
        {
            options = options with { MaxParallelism = parallel.GetInt32() };
        }

        switch (check)
        {
            case ValidationCheck.Signing:
                options = options with { Signing = ReadSigning(settings, resolvePath) };
                break;
            case ValidationCheck.Packages:
                options = options with
                {
                    Packages = new PackageRules
                    {
                        RequiredAuthors = Strings(settings, "requiredAuthors"),
                        RequireLicense = Bool(settings, "requireLicense", true),
                        RequireProjectUrl = Bool(settings, "requireProjectUrl", true),
                        RequireIcon = Bool(settings, "requireIcon", false),
                        RequireRepository = Bool(settings, "requireRepository", true),
                    },
                };
                break;
            case ValidationCheck.Symbols when settings.TryGetProperty("symbolServer", out var server):
                var url = server.GetString()!;
                options = options with { SymbolServer = new Uri(url.EndsWith('/') ? url : url + "/") };
                break;
            case ValidationCheck.SourceLink:
                options = options with { SourceLinkOnline = Bool(settings, "online", false) };
                break;
            case ValidationCheck.BinSkim when settings.TryGetProperty("path", out var path):
                options = options with { BinSkimPath = resolvePath(path.GetString()!) };
                break;
        }

        return options;
    }

    public static SigningPolicy ReadSigning(JsonElement settings, Func<string, string> resolvePath)
    {
        var roots = CertificateTrust.LoadFiles(Strings(settings, "trustedRoots").Select(resolvePath));
        var signers = new List<TrustedSigner>();
        if (settings.TryGetProperty("packageSigners", out var list))
        {
            foreach (var signer in list.EnumerateArray())
            {
                var fingerprint = signer.TryGetProperty("fingerprint", out var f)
                    ? f.GetString()!
                    : CertificateTrust.Sha256(CertificateTrust.LoadFiles([resolvePath(signer.GetProperty("certificate").GetString()!)])[0]);
                signers.Add(new TrustedSigner(
                    signer.TryGetProperty("name", out var name) ? name.GetString()! : fingerprint[..12],
                    fingerprint.ToUpperInvariant(),
                    signer.TryGetProperty("allowUntrustedRoot", out var allow) && allow.GetBoolean()));
            }
        }

        return new SigningPolicy
        {
            TrustedRoots = roots,
            TrustedRootFingerprints = new HashSet<string>(Strings(settings, "trustedRootFingerprints"), StringComparer.OrdinalIgnoreCase),
            ExpectedSigners = Strings(settings, "expectedSigners"),
            PackageSigners = signers,
            RevocationOnline = settings.TryGetProperty("revocationMode", out var mode) && mode.GetString() == "online",
            Exclusions = settings.TryGetProperty("exclusionsFile", out var exclusions) ? SignCheckExclusions.Load(resolvePath(exclusions.GetString()!)) : SignCheckExclusions.None,
            SdkTrustedRootsDirectory = settings.TryGetProperty("sdkTrustedRoots", out var sdk) ? resolvePath(sdk.GetString()!) : null,
            UnsupportedTypes = settings.TryGetProperty("unsupportedTypes", out var unsupported) && TryParseUnsupportedTypes(unsupported.GetString()!, out var policy) ? policy : UnsupportedTypePolicy.Error,
        };
    }

    /// <summary>Files a step's settings name, whose content is part of its input digest.</summary>
    public static IEnumerable<string> ReferencedFiles(JsonElement settings, Func<string, string> resolvePath)
    {
        if (settings.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var root in Strings(settings, "trustedRoots"))
        {
            yield return resolvePath(root);
        }

        if (settings.TryGetProperty("exclusionsFile", out var exclusions))
        {
            yield return resolvePath(exclusions.GetString()!);
        }

        if (settings.TryGetProperty("packageSigners", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var signer in list.EnumerateArray())
            {
                if (signer.TryGetProperty("certificate", out var certificate))
                {
                    yield return resolvePath(certificate.GetString()!);
                }
            }
        }
    }

    /// <summary>Null when <paramref name="text"/> is the address of a symbol server to ask; otherwise what is wrong with it.</summary>
    public static string? SymbolServerProblem(string? text) =>
        !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            ? $"'{text}' is not an absolute http(s) URL; give the SSQP symbol server's base, e.g. https://msdl.microsoft.com/download/symbols/."
            : Transport.Problem(uri) is { } problem ? $"'{text}' {problem}: its answer decides whether a PDB counts as published." : null;

    private static string? ValidateSigners(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return "expected an array of {\"name\", \"fingerprint\" or \"certificate\", \"allowUntrustedRoot\"} objects.";
        }

        var index = 0;
        foreach (var signer in value.EnumerateArray())
        {
            if (signer.ValueKind != JsonValueKind.Object)
            {
                return $"[{index}]: expected an object.";
            }

            var hasFingerprint = signer.TryGetProperty("fingerprint", out var f);
            var hasCertificate = signer.TryGetProperty("certificate", out var c);
            if (hasFingerprint == hasCertificate)
            {
                return $"[{index}]: give either \"fingerprint\" (the signing certificate's SHA-256) or \"certificate\" (a PEM or DER file), not both or neither.";
            }

            if (hasFingerprint && (f.ValueKind != JsonValueKind.String || !IsSha256(f.GetString()!)))
            {
                return $"[{index}].fingerprint: expected 64 hexadecimal digits (SHA-256).";
            }

            if (hasCertificate && (c.ValueKind != JsonValueKind.String || c.GetString()!.Length == 0))
            {
                return $"[{index}].certificate: expected a path.";
            }

            if (signer.TryGetProperty("allowUntrustedRoot", out var allow) && allow.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return $"[{index}].allowUntrustedRoot: expected true or false.";
            }

            foreach (var property in signer.EnumerateObject())
            {
                if (property.Name is not ("name" or "fingerprint" or "certificate" or "allowUntrustedRoot"))
                {
                    return $"[{index}].{property.Name}: unknown; a signer takes name, fingerprint or certificate, and allowUntrustedRoot.";
                }
            }

            index++;
        }

        return null;
    }

    /// <summary>The unsupported-types policy as written in settings and on the command line: <c>error</c> or <c>warn</c>.</summary>
    public static bool TryParseUnsupportedTypes(string text, out UnsupportedTypePolicy policy)
    {
        (var known, policy) = text switch
        {
            "error" => (true, UnsupportedTypePolicy.Error),
            "warn" => (true, UnsupportedTypePolicy.Warn),
            _ => (false, UnsupportedTypePolicy.Error),
        };
        return known;
    }

    public static bool IsSha256(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigit);

    private static bool IsStringArray(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0);

    private static IReadOnlyList<string> Strings(JsonElement settings, string name) =>
        settings.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetString()!)] : [];

    private static bool Bool(JsonElement settings, string name, bool fallback) =>
        settings.TryGetProperty(name, out var value) ? value.GetBoolean() : fallback;

    /// <summary>Loads certificate files for the verify verb's options.</summary>
    public static IReadOnlyList<X509Certificate2> LoadCertificates(IEnumerable<string> paths) => CertificateTrust.LoadFiles(paths);
}
