using ReleaseCli.Core;
using ReleaseCli.Core.Contract;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Engine;

namespace ReleaseCli.Rings.Staging.Steps;

/// <summary>
/// Writes <c>&lt;version&gt;-sha.txt</c> over the shipping non-package drop files and the artifacts of the steps it
/// depends on. The hashes come from the contract and the ledger's artifact records: nothing is read or hashed again.
/// </summary>
public sealed class ChecksumsStep() : RingStep<ChecksumsSettings>(Descriptor, RingsSettingsJsonContext.Default.ChecksumsSettings)
{
    public const string StepKind = "checksums";

    public static StepKindDescriptor Descriptor { get; } = new(
        StepKind,
        "writes <version>-sha.txt (SHA-512 of the shipping drop files and of the artifacts of the steps it depends on)",
        Rings: [RingName.Stage],
        _ => new ChecksumsStep());

    protected override Task<string> ComputeInputDigestAsync(StepContext context, ChecksumsSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(Digest.OfJson(new { include = settings.IncludeDropFiles ?? true, context.Definition.Version }));

    protected override async Task<StepOutcome> RunAsync(StepContext context, ChecksumsSettings settings, CancellationToken cancellationToken)
    {
        var files = FilesOf(context, settings);
        var name = ChecksumsFileWriter.FileNameFor(context.Definition.Version);
        var text = ChecksumsFileWriter.Render(files);
        await context.RequireArtifacts().WriteAsync(name, (stream, ct) => stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), ct).AsTask(), cancellationToken).ConfigureAwait(false);
        return StepOutcome.Succeeded($"{name}: {files.Count} file(s)")
            .WithOutput(new StagedArtifacts([name]), RingsSettingsJsonContext.Default.StagedArtifacts);
    }

    /// <summary>The files the checksums file lists, each with the hash sealed in the contract or recorded with the artifact.</summary>
    public static IReadOnlyList<ShippingFileHash> FilesOf(StepContext context, ChecksumsSettings settings)
    {
        var contract = context.Contract?.Contract ?? throw new ReleaseException(ExitCode.Failed, $"step '{context.Step.Id}' lists the files of the sealed contract; run `release prep` first");
        return FilesOf(contract, settings.IncludeDropFiles ?? true, DependencyArtifacts.Of(context));
    }

    /// <summary>
    /// The release's shipping files: the contract's shipping non-package drop files (unless left out) and the artifacts
    /// of the steps a stage step depends on. What the checksums file lists, the release notes name, and the
    /// artifacts-valid gate expects of both.
    /// </summary>
    public static IReadOnlyList<ShippingFileHash> FilesOf(ReleaseContract contract, bool includeDropFiles, IEnumerable<RecordedArtifact> dependencyArtifacts)
    {
        var drop = includeDropFiles ? ChecksumsFileWriter.ShippingFilesOf(contract.Assets) : [];
        var artifacts = dependencyArtifacts.Select(a => new ShippingFileHash(DependencyArtifacts.FileName(a), a.Entry.Sha512));
        return [.. drop, .. artifacts];
    }
}
