namespace ReleaseCli.Rings.Staging;

/// <summary>A build of the release's candidate: the repository and the commit it was built from.</summary>
public sealed record ReleaseNotesBuild(string Repository, string Commit);
