namespace ReleaseCli.Core.Identity;

/// <summary>A person as an identity provider vouches for them.</summary>
public sealed record Actor(string Name, string Provider);
