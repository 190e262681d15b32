namespace ReleaseCli.Rings.SourceValidation;

/// <summary>The ways a leg may fetch its repository; anything else (http, git://, transport helpers) is refused.</summary>
public enum RepositoryLocationKind
{
    Https,
    Ssh,
    LocalPath,
}
