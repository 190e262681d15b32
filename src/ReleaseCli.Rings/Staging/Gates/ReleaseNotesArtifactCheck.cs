using System.Text;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Staging.Steps;

namespace ReleaseCli.Rings.Staging.Gates;

/// <summary>
/// The release notes must mention every download their settings place, every other shipping file (those the checksums
/// file lists), the checksums file, every CVE of the definition and every shipping package of the contract in their
/// package table.
/// </summary>
public sealed class ReleaseNotesArtifactCheck : IStagedArtifactCheck
{
    public string StepKind => ReleaseNotesStep.StepKind;

    public async Task<IReadOnlyList<string>> CheckAsync(StagedArtifactScope scope, RecordedArtifact artifact, CancellationToken cancellationToken)
    {
        var text = Encoding.UTF8.GetString(await scope.ReadAsync(artifact, cancellationToken).ConfigureAwait(false));
        var settings = scope.SettingsOf(artifact, RingsSettingsJsonContext.Default.ReleaseNotesSettings);
        var definition = scope.Context.Definition;
        // A file is mentioned by its link ([x64][name] in the table, [name] in the list below it), not inside another's name.
        var missing = (settings.Downloads ?? []).Select(d => d.File)
            .Concat(ChecksumsStep.FilesOf(scope.Contract, includeDropFiles: true, scope.DependencyArtifactsOf(artifact)).Select(f => f.FileName))
            .Distinct(StringComparer.Ordinal)
            .Where(file => !text.Contains($"[{file}]", StringComparison.Ordinal))
            .Concat(definition.Cves.Select(c => c.Id).Append(ChecksumsFileWriter.FileNameFor(definition.Version))
                .Distinct(StringComparer.Ordinal)
                .Where(term => !text.Contains(term, StringComparison.Ordinal)))
            .ToList();
        missing.AddRange(scope.Contract.Assets
            .Where(a => a.Shipping && a.IsPackage && !text.Contains(ReleaseNotesWriter.PackageRow(a.Name, a.Version), StringComparison.Ordinal))
            .Select(a => $"the package {a.Name} {a.Version}")
            .Distinct(StringComparer.Ordinal));
        return missing.Count == 0 ? [] : [$"they do not mention {string.Join(", ", missing)}"];
    }
}
