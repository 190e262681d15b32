using System.Globalization;

namespace ReleaseCli.Integrations.Store;

/// <summary>
/// How long the blob store's lease on a release lasts and how often the holder renews it. A holder that died
/// stops renewing, and its lease lapses at most <see cref="Duration"/> after its last renewal.
/// </summary>
public sealed record BlobLeaseSettings(TimeSpan Duration)
{
    /// <summary>Environment variable setting <see cref="Duration"/> in seconds (15 to 60, the service's range).</summary>
    public const string DurationVariable = "RELEASE_STORE_LEASE_SECONDS";

    public static readonly BlobLeaseSettings Default = new(TimeSpan.FromSeconds(60));

    /// <summary>A quarter of the lease: three renewals may fail in a row before the lease is at risk.</summary>
    public TimeSpan RenewEvery => Duration / 4;

    /// <summary>
    /// A holder that renewed more recently than this is alive; one silent for longer has missed renewals and is
    /// probably gone (its lease lapses when <see cref="Duration"/> has passed since its last renewal).
    /// </summary>
    public TimeSpan AliveWithin => (RenewEvery * 2) + TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after its last renewal this run still trusts its own lease: the lease less a margin for the time a
    /// write takes, so a write is never started on a lease that may lapse under it.
    /// </summary>
    public TimeSpan TrustedFor => Duration - (Duration / 6);

    public static BlobLeaseSettings FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(DurationVariable);
        if (string.IsNullOrEmpty(text))
        {
            return Default;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 15 or > 60)
        {
            throw Core.ReleaseException.Usage($"{DurationVariable}='{text}': the store's lease lasts 15 to 60 seconds (whole seconds, as blob storage allows); unset it for 60.");
        }

        return new BlobLeaseSettings(TimeSpan.FromSeconds(seconds));
    }
}
