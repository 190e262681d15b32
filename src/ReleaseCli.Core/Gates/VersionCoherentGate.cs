using System.Text.RegularExpressions;
using ReleaseCli.Core.Definition;

namespace ReleaseCli.Core.Gates;

/// <summary>
/// Across the candidate no package id appears at two versions, and every shipping package version
/// follows the definition's version rules (stable: no prerelease label; the shipping version pattern).
/// </summary>
public sealed class VersionCoherentGate : IGateCheck
{
    public string Kind => "version-coherent";

    public string Summary => "no package id at two versions across the candidate; shipping versions follow the definition's version rules";

    public bool DecidedByPeople => false;

    public IEnumerable<(string Key, string Message)> Validate(GateDefinition gate, GateScope scope) => GateRules.DecidedByCode(gate);

    public Task<GateResult> EvaluateAsync(GateContext context, CancellationToken cancellationToken)
    {
        if (context.Contract is null)
        {
            return Task.FromResult(GateResult.Failed("no contract has been sealed; run `release prep` first"));
        }

        var packages = context.Contract.Contract.Assets.Where(a => a.IsPackage).ToList();
        var problems = new List<string>();
        foreach (var group in packages.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var versions = group.GroupBy(p => p.Version, StringComparer.OrdinalIgnoreCase).ToList();
            if (versions.Count > 1)
            {
                problems.Add($"{group.Key} appears at {versions.Count} versions: " +
                    string.Join(", ", versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key} (build {string.Join(", ", v.Select(p => p.BuildId).Distinct())})")));
            }
        }

        var rules = context.Definition.VersionRules;
        var pattern = rules.ShippingVersionPattern is null ? null : new Regex(Expand(rules.ShippingVersionPattern, context.Definition.Version), RegexOptions.None, TimeSpan.FromSeconds(1));
        foreach (var package in packages.Where(p => p.Shipping).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (rules.Stable && package.Version.Contains('-', StringComparison.Ordinal))
            {
                problems.Add($"{package.Name} {package.Version} has a prerelease label but the release is stable");
            }

            if (pattern is not null && !pattern.IsMatch(package.Version))
            {
                problems.Add($"{package.Name} {package.Version} does not match the shipping version pattern {pattern}");
            }
        }

        return Task.FromResult(problems.Count == 0
            ? GateResult.Passed($"{packages.Count} package(s), each id at one version; shipping versions follow the rules")
            : GateResult.Failed(string.Join("; ", problems)));
    }

    /// <summary>Replaces {major}, {minor}, {patch} and {version} with the product version's parts, escaped.</summary>
    public static string Expand(string pattern, string productVersion)
    {
        var core = productVersion.Split('-', '+')[0].Split('.');
        return pattern
            .Replace("{major}", Regex.Escape(core[0]), StringComparison.Ordinal)
            .Replace("{minor}", Regex.Escape(core.ElementAtOrDefault(1) ?? "0"), StringComparison.Ordinal)
            .Replace("{patch}", Regex.Escape(core.ElementAtOrDefault(2) ?? "0"), StringComparison.Ordinal)
            .Replace("{version}", Regex.Escape(productVersion), StringComparison.Ordinal);
    }
}
