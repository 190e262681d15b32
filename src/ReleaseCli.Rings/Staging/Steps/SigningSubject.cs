using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// One file a <c>sign</c> step signs: an artifact of a step it depends on, or a drop file. <paramref name="FileName"/>
/// is its published name, <paramref name="SignatureName"/> the artifact its detached signature becomes; a Debian package
/// of the drop signed by gpg becomes a signed copy named <paramref name="FileName"/> instead.
/// </summary>
public sealed record SigningSubject(string FileName, string SignatureName, RecordedArtifact? Artifact, string? DropPath, bool IsDebianPackage)
{
    /// <summary>
    /// A local file with exactly the signed bytes: a drop file where it is (the engine verified the drop before any
    /// step ran), an artifact as a copy in <paramref name="work"/> read through the area's verifying stream, so a
    /// signature covers exactly the bytes the ledger recorded. Give it back with <see cref="Release"/>.
    /// </summary>
    public async Task<string> LocalPathAsync(string work, ArtifactArea artifacts, string dropPath, CancellationToken cancellationToken)
    {
        if (Artifact is null)
        {
            return Path.Combine(dropPath, DropPath!);
        }

        var copy = Path.Combine(work, FileName);
        await using var source = await artifacts.OpenReadAsync(Artifact.Ring, Artifact.Entry.Name, cancellationToken).ConfigureAwait(false);
        await using var target = File.Create(copy);
        await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
        return copy;
    }

    /// <summary>Removes the copy <see cref="LocalPathAsync"/> made of an artifact; a drop file is left alone.</summary>
    public void Release(string path)
    {
        if (Artifact is not null)
        {
            File.Delete(path);
        }
    }
}
