using System.Text.RegularExpressions;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// An exclusions file in SignCheck's format. Each line is <c>file patterns;parent files;comment</c>;
/// <c>;;</c> starts a comment line. A comment containing <c>DO-NOT-SIGN</c> means the file is expected
/// unsigned; <c>DO-NOT-UNPACK</c> means the container is not opened. Any other matching line excludes the
/// file from signature checks. A pattern written <c>!pattern</c> is an exception: files it matches are
/// checked even when another line excludes them.
/// </summary>
public sealed class SignCheckExclusions
{
    public static readonly SignCheckExclusions None = new([], "(none)");

    private readonly IReadOnlyList<SignCheckExclusion> _lines;

    private SignCheckExclusions(IReadOnlyList<SignCheckExclusion> lines, string source)
    {
        _lines = lines;
        Source = source;
    }

    public string Source { get; }

    public int Count => _lines.Count;

    public static SignCheckExclusions Load(string path) => Parse(File.ReadAllLines(path), path);

    public static SignCheckExclusions Parse(IEnumerable<string> lines, string source)
    {
        var parsed = new List<SignCheckExclusion>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith(";;", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line.Split(';', 3);
            var files = parts[0].Trim();
            var isException = files.StartsWith('!');
            if (isException)
            {
                files = files[1..];
            }

            var filePatterns = Patterns(files);
            if (filePatterns.Count == 0)
            {
                throw new FormatException($"{source} line {number}: no file pattern before the first ';' (expected 'file patterns;parent files;comment').");
            }

            var parents = parts.Length > 1 ? Patterns(parts[1]) : [];
            var comment = parts.Length > 2 ? parts[2] : string.Empty;
            parsed.Add(new SignCheckExclusion(
                filePatterns,
                parents,
                comment.Contains("DO-NOT-SIGN", StringComparison.OrdinalIgnoreCase),
                comment.Contains("DO-NOT-UNPACK", StringComparison.OrdinalIgnoreCase),
                isException,
                number,
                line));
        }

        return new SignCheckExclusions(parsed, source);
    }

    /// <summary>The line that excludes this item from signature checks, or null when it must be checked.</summary>
    public SignCheckExclusion? Excluding(ValidationItem item)
    {
        if (_lines.Any(l => l.IsException && l.Matches(item)))
        {
            return null;
        }

        return _lines.FirstOrDefault(l => !l.IsException && !l.DoNotUnpack && l.Matches(item));
    }

    /// <summary>Whether this container must not be opened.</summary>
    public bool DoNotUnpack(ValidationItem item) =>
        !_lines.Any(l => l.IsException && l.Matches(item)) && _lines.Any(l => !l.IsException && l.DoNotUnpack && l.Matches(item));

    private static List<Regex> Patterns(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => new Regex("^" + Regex.Escape(p).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))];
}
