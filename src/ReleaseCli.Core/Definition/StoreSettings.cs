namespace ReleaseCli.Core.Definition;

/// <summary>Where the ledger, contract and step outputs live.</summary>
/// <param name="Kind"><c>local</c> (a folder).</param>
/// <param name="Path">The folder for <c>local</c>.</param>
public sealed record StoreSettings(string Kind, string Path)
{
    public const string LocalKind = "local";
}
