namespace ReleaseCli.Core;

/// <summary>Reads a file a person named (a signing key, an allowed signers list): one that cannot be read is a usage error.</summary>
public static class UserFile
{
    /// <summary>Reads <paramref name="path"/> with <paramref name="read"/>; an I/O or access failure becomes a usage error whose text <paramref name="problem"/> makes from the failure's message.</summary>
    public static T Read<T>(string path, Func<string, T> read, Func<string, string> problem)
    {
        try
        {
            return read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ReleaseException.Usage(problem(ex.Message));
        }
    }
}
