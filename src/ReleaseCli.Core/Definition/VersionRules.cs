namespace ReleaseCli.Core.Definition;

/// <summary>What shipping package versions must look like for the version-coherent gate.</summary>
/// <param name="Stable">When true, shipping packages must not carry a prerelease label.</param>
/// <param name="ShippingVersionPattern">
/// A regular expression every shipping package version must match; <c>{major}</c>, <c>{minor}</c>,
/// <c>{patch}</c> and <c>{version}</c> stand for the parts of the product version. Null: no pattern.
/// </param>
public sealed record VersionRules(bool Stable, string? ShippingVersionPattern);
