namespace ReleaseCli.Rings.Staging;

/// <summary>
/// What a new channel's metadata says about its support, which no release carries: the product's
/// name, the support phase (<c>preview</c>, <c>active</c>, …), the release type (<c>lts</c>, <c>sts</c>),
/// the end-of-life date, the lifecycle policy's URL and where the channel's <c>releases.json</c> is published.
/// </summary>
public sealed record ReleaseChannelLifecycle(
    string Product,
    string SupportPhase,
    string ReleaseType,
    DateOnly EolDate,
    string LifecyclePolicyUrl,
    string ReleasesJsonUrl);
