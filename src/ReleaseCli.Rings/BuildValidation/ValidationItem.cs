using ReleaseCli.Core.Contract;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// A file or a container entry being validated: where it is, what contains it, and, inside a release,
/// which contract asset and build it came from.
/// </summary>
public sealed record ValidationItem(string File, string VirtualPath, string Name, IReadOnlyList<string> Parents, ContractAsset? Asset, ContractBuild? Build)
{
    /// <summary>The nupkg this item is directly inside, if any.</summary>
    public string? PackagePath { get; init; }

    /// <summary>What the drop file this item is (or is inside) may still inflate to; shared with every entry under it.</summary>
    internal InflationBudget? Budget { get; init; }

    /// <summary>Inflated bytes read from <paramref name="inflating"/> (this item's content) counted against the drop file's budget.</summary>
    internal Stream Inflating(Stream inflating) => Budget is null ? inflating : Budget.Count(inflating, VirtualPath);

    /// <summary>Whether it ships (inside a release: from its contract asset; outside one, everything does).</summary>
    public bool Shipping => Asset?.Shipping ?? true;

    public ValidationItem Child(string entryName) => this with
    {
        VirtualPath = $"{VirtualPath}/{entryName}",
        Name = entryName.Contains('/', StringComparison.Ordinal) ? entryName[(entryName.LastIndexOf('/') + 1)..] : entryName,
        Parents = [.. Parents, Name],
    };

    public Finding Finding(string ruleId, FindingSeverity severity, ValidationCheck check, string message) =>
        new(ruleId, severity, check, File, VirtualPath, message);
}
