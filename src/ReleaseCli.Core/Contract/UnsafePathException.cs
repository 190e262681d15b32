namespace ReleaseCli.Core.Contract;

/// <summary>A name from BAR or an archive would write outside its folder; nothing was written.</summary>
public sealed class UnsafePathException(string path, string reason)
    : ReleaseException(ExitCode.IntegrityViolation, $"Refused the path '{path}': {reason}. Nothing was written for it; the asset name in BAR (or the archive entry) must be a plain relative path.")
{
    public string UnsafePath { get; } = path;
}
