using System.Text;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Staging.Steps;

namespace ReleaseCli.Rings.Staging.Gates;

/// <summary>Every line of the checksums file must carry the SHA-512 the contract or the ledger holds for the file it names.</summary>
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

        foreach (var line in lines)
        {
            var parts = line.Split("  ", 2);
            if (parts.Length != 2)
            {
                problems.Add($"the line '{line}' is not '<sha512>  <file>'");
                continue;
            }

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

        return problems;
    }
}
