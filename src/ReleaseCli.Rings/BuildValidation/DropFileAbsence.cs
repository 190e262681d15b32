namespace ReleaseCli.Rings.BuildValidation;

/// <summary>Why <see cref="DropFileHandle.Open"/> opened no file.</summary>
internal enum DropFileAbsence
{
    /// <summary>It opened the file.</summary>
    None,

    /// <summary>The path is a symbolic link, which is never followed.</summary>
    Link,

    /// <summary>The file is gone.</summary>
    Missing,
}
