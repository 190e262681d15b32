namespace ReleaseCli.Core.Signing;

/// <summary>A sign request as the service reports it: where it is, its message, and (once it succeeded) the signed files to download.</summary>
public sealed record SignRequestStatus(string Id, SignRequestState State, string? Message, IReadOnlyList<SignedFile> Files);

/// <summary>One signed result: its name and where to download it.</summary>
public sealed record SignedFile(string Name, Uri Href);
