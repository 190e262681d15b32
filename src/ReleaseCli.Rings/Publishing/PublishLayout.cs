using System.Text.RegularExpressions;
using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// Where a file goes on a target, from a template such as <c>Runtime/{version}/{file}</c>: {release}, {product} and
/// {version} come from the release definition, {file} is the file's name and {path} its drop path or artifact name.
/// </summary>
public sealed partial class PublishLayout
{
    public const string DefaultTemplate = "{version}/{file}";

    private static readonly string[] Placeholders = ["release", "product", "version", "file", "path"];

    private readonly string _template;

    public PublishLayout(string? template)
    {
        _template = template ?? DefaultTemplate;
    }

    /// <summary>What is wrong with a template, or null.</summary>
    public static string? Problem(string template)
    {
        var unknown = Placeholder().Matches(template).Select(m => m.Groups[1].Value).FirstOrDefault(p => !Placeholders.Contains(p, StringComparer.Ordinal));
        if (unknown is not null)
        {
            return $"'{{{unknown}}}' is not a layout placeholder; use {string.Join(", ", Placeholders.Select(p => $"{{{p}}}"))}.";
        }

        if (!template.Contains("{file}", StringComparison.Ordinal) && !template.Contains("{path}", StringComparison.Ordinal))
        {
            return "the layout must place each file by {file} or {path}, or every file would get the same name.";
        }

        return template.StartsWith('/') || template.Contains('\\', StringComparison.Ordinal)
            ? "the layout is a relative name with '/' between folders, e.g. \"Runtime/{version}/{file}\"."
            : null;
    }

    /// <summary>The name of the file at <paramref name="path"/> ('/' separated) on the target.</summary>
    public string NameOf(ReleaseDefinition definition, string path)
    {
        var name = Placeholder().Replace(_template, m => m.Groups[1].Value switch
        {
            "release" => definition.ReleaseId,
            "product" => definition.Product,
            "version" => definition.Version,
            "file" => path.Split('/')[^1],
            "path" => path,
            _ => m.Value,
        });
        return DropPaths.Check(name) is { } problem
            ? throw ReleaseException.Usage($"the layout '{_template}' places '{path}' at '{name}', which cannot be used: {problem}")
            : name;
    }

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();
}
