using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// A place git may fetch a leg's commit from. Repository addresses come from BAR, so they are refused unless
/// they are plainly https, ssh (<c>ssh://</c> or <c>user@host:path</c>) or a local folder (a path or a
/// <c>file://</c> URL): no plain http, no <c>git://</c>, no transport helpers (<c>ext::</c>), nothing git could
/// read as an option, no credentials in the address.
/// </summary>
public sealed partial record RepositoryLocation(RepositoryLocationKind Kind, string Value)
{
    /// <summary>
    /// Reads <paramref name="address"/>; a relative path is resolved with <paramref name="resolveRelative"/>, or
    /// refused when that is null (BAR's addresses are never relative).
    /// </summary>
    public static bool TryParse(string address, Func<string, string>? resolveRelative, [NotNullWhen(true)] out RepositoryLocation? location, [NotNullWhen(false)] out string? problem)
    {
        location = null;
        problem = null;
        if (string.IsNullOrWhiteSpace(address) || address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            problem = "is empty or contains white space or control characters";
            return false;
        }

        if (address.StartsWith('-'))
        {
            problem = "starts with '-', which git would read as an option";
            return false;
        }

        if (address.Contains("::", StringComparison.Ordinal))
        {
            problem = "names a git transport helper ('::'); use https, ssh or a local path";
            return false;
        }

        if (Uri.TryCreate(address, UriKind.Absolute, out var uri) && address.Contains("://", StringComparison.Ordinal))
        {
            switch (uri.Scheme)
            {
                case "https" or "ssh" when uri.UserInfo.Contains(':', StringComparison.Ordinal):
                    problem = "carries a password in the address; give git its credentials another way (a credential helper, an ssh key)";
                    return false;
                case "https":
                    location = new RepositoryLocation(RepositoryLocationKind.Https, address);
                    return true;
                case "ssh":
                    location = new RepositoryLocation(RepositoryLocationKind.Ssh, address);
                    return true;
                case "file" when uri.IsFile && string.IsNullOrEmpty(uri.Host):
                    location = new RepositoryLocation(RepositoryLocationKind.LocalPath, Path.GetFullPath(uri.LocalPath));
                    return true;
                default:
                    problem = $"uses {uri.Scheme}://, which is not allowed; use https, ssh or a local path";
                    return false;
            }
        }

        if (ScpLike().IsMatch(address))
        {
            location = new RepositoryLocation(RepositoryLocationKind.Ssh, address);
            return true;
        }

        if (address.Contains("://", StringComparison.Ordinal) || address.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(address))
        {
            problem = "is neither an https or ssh address nor a local path";
            return false;
        }

        if (Path.IsPathRooted(address))
        {
            location = new RepositoryLocation(RepositoryLocationKind.LocalPath, Path.GetFullPath(address));
            return true;
        }

        if (resolveRelative is null)
        {
            problem = "is a relative path, which only a repository mirror in the definition may be";
            return false;
        }

        location = new RepositoryLocation(RepositoryLocationKind.LocalPath, resolveRelative(address));
        return true;
    }

    public override string ToString() => Value;

    // user@host:path, as git reads an ssh address without a scheme; the host cannot start with '-'.
    [GeneratedRegex(@"^[A-Za-z0-9._-]+@[A-Za-z0-9][A-Za-z0-9.-]*:[^:\\][^\\]*$")]
    private static partial Regex ScpLike();
}
