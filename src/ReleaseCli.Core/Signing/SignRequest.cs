namespace ReleaseCli.Core.Signing;

/// <summary>What a step asks the signing service to sign: the kind of signature (<see cref="SignatureKinds"/>) and the files, each by the name the service sees and its local path.</summary>
public sealed record SignRequest(string SignatureKind, IReadOnlyList<SignRequestFile> Files);

/// <summary>One file of a <see cref="SignRequest"/>.</summary>
public sealed record SignRequestFile(string Name, string Path);
