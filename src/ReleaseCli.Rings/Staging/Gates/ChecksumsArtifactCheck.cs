using System.Text;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Staging.Steps;

namespace ReleaseCli.Rings.Staging.Gates;

/// <summary>
/// Every line of the checksums file must carry the SHA-512 the contract or the ledger holds for the file it names (what
/// <c>sha512sum -c</c> would find over the downloads), and every shipping file must have its line.
/// </summary>
public sealed class ChecksumsArtifactCheck : IStagedArtifactCheck
{
    public string StepKind => ChecksumsStep.StepKind;

    public async Task<IReadOnlyList<string>> CheckAsync(StagedArtifactScope scope, RecordedArtifact artifact, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(await scope.ReadAsync(artifact, cancellationToken).ConfigureAwait(false));
        var problems = new List<string>();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            problems.Add("it lists no file");
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var parts = line.Split("  ", 2);
            if (parts.Length != 2)
            {
                problems.Add($"the line '{line}' is not '<sha512>  <file>'");
                continue;
            }

            listed.Add(parts[1]);
            var expected = scope.Sha512Of(parts[1]);
            if (expected is null)
            {
                problems.Add($"it lists '{parts[1]}', which is neither a shipping drop file nor an artifact of this ring");
            }
            else if (!string.Equals(expected, parts[0], StringComparison.Ordinal))
            {
                problems.Add($"its SHA-512 for '{parts[1]}' ({parts[0][..Math.Min(16, parts[0].Length)]}…) is not the file's ({expected[..16]}…)");
            }
        }

        var settings = scope.SettingsOf(artifact, RingsSettingsJsonContext.Default.ChecksumsSettings);
        var unlisted = ChecksumsStep.FilesOf(scope.Contract, settings.IncludeDropFiles ?? true, scope.DependencyArtifactsOf(artifact))
            .Select(f => f.FileName).Where(name => !listed.Contains(name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (unlisted.Count > 0)
        {
            problems.Add($"it has no line for {string.Join(", ", unlisted)}, which the release ships; run the stage ring again with a new contract, or report it");
        }

        return problems;
    }
}
