namespace ReleaseCli.Rings.SourceValidation;

/// <summary>
/// One repository and commit of the candidate. <see cref="Name"/> is what people see and override
/// (<c>repository@shortsha</c>); <see cref="Folder"/> is its folder name under the release's working folder;
/// <see cref="CloneFrom"/> is where its commit is fetched from (BAR's address, or a mirror the definition names).
/// </summary>
public sealed record SdlLeg(string Name, string Repository, string Commit, string Folder, RepositoryLocation CloneFrom);
