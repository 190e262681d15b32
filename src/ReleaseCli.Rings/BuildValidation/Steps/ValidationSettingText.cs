using ReleaseCli.Core.Security;
using ReleaseCli.Rings.BuildValidation.Signing;

namespace ReleaseCli.Rings.BuildValidation.Steps;

/// <summary>
/// How the validation checks' settings are written, shared by the validation steps of release.json and the
/// options of <c>release verify</c>, so both accept and refuse the same text with the same words.
/// </summary>
public static class ValidationSettingText
{
    /// <summary>Null when <paramref name="text"/> is the address of a symbol server to ask; otherwise what is wrong with it.</summary>
    public static string? SymbolServerProblem(string? text) =>
        !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")
            ? $"'{text}' is not an absolute http(s) URL; give the SSQP symbol server's base, e.g. https://msdl.microsoft.com/download/symbols/."
            : Transport.Problem(uri) is { } problem ? $"'{text}' {problem}: its answer decides whether a PDB counts as published." : null;

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

    /// <summary>A certificate's SHA-256 fingerprint as written: 64 hexadecimal digits, either case.</summary>
    public static bool IsSha256(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigit);
}
