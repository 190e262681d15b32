using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using ReleaseCli.Core.Store;

namespace ReleaseCli.Integrations.Store;

/// <summary>
/// The release's lock in a blob store: a lease on the release's <c>lock</c> blob, renewed in the background while
/// the run works. The holder's <see cref="LockOwner"/> is in the blob's metadata, rewritten at each renewal, so the
/// blob's Last-Modified (the service's clock, not a machine's) tells others when the holder was last alive.
/// </summary>
internal sealed class BlobReleaseLease : IAsyncDisposable
{
    private const string OwnerKey = "owner";

    private readonly string _releaseId;
    private readonly BlobClient _blob;
    private readonly BlobLeaseClient _lease;
    private readonly IDictionary<string, string> _metadata;
    private readonly BlobLeaseSettings _settings;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeProvider _time = TimeProvider.System;
    private Task _renewing = Task.CompletedTask;
    private long _lastRenewed;
    private volatile string? _lost;

    private BlobReleaseLease(string releaseId, BlobClient blob, BlobLeaseClient lease, LockOwner owner, BlobLeaseSettings settings, ILogger logger)
    {
        _releaseId = releaseId;
        _blob = blob;
        _lease = lease;
        _settings = settings;
        _logger = logger;
        // Metadata values are ASCII: the record goes in base64.
        _metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [OwnerKey] = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(owner)) };
        _lastRenewed = _time.GetTimestamp();
    }

    /// <summary>
    /// Takes the lease, or throws <see cref="ReleaseLockedException"/> naming a holder that is alive. A holder that
    /// has stopped renewing (it died) is waited for until its lease lapses, at most one lease period, and the wait is
    /// logged.
    /// </summary>
    public static async Task<BlobReleaseLease> AcquireAsync(string releaseId, BlobClient blob, LockOwner owner, BlobLeaseSettings settings, ILogger logger, CancellationToken cancellationToken)
    {
        var leaseClient = blob.GetBlobLeaseClient(Guid.NewGuid().ToString());
        DateTimeOffset? waitUntil = null;
        while (true)
        {
            try
            {
                await leaseClient.AcquireAsync(settings.Duration, cancellationToken: cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                var (holder, silentFor, now) = await ReadHolderAsync(blob, cancellationToken).ConfigureAwait(false);
                // A holder is taken for alive while it renews, unless it is a process of this machine that is gone.
                if (silentFor <= settings.AliveWithin && !(holder is not null && LocalProcess.IsGone(holder)))
                {
                    throw new ReleaseLockedException(releaseId, holder);
                }

                if (waitUntil is null)
                {
                    var left = settings.Duration - silentFor + TimeSpan.FromSeconds(2);
                    waitUntil = now + (left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(2));
                    logger.LogWarning(
                        "Release '{Release}' is leased by {Holder}, which has not renewed its lease for {Seconds:F0} s or no longer runs; waiting up to {Wait:F0} s for the lease to lapse.",
                        releaseId,
                        holder is null ? "a run that did not name itself" : $"{holder.Actor} running `{holder.Verb}` on {holder.Host} (process {holder.ProcessId})",
                        silentFor.TotalSeconds,
                        (waitUntil.Value - now).TotalSeconds);
                }
                else if (now > waitUntil)
                {
                    throw new ReleaseLockedException(releaseId, holder);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }

        var lease = new BlobReleaseLease(releaseId, blob, leaseClient, owner, settings, logger);
        try
        {
            await lease.WriteOwnerAsync(lease._metadata, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await leaseClient.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        lease._renewing = lease.RenewAsync(lease._stop.Token);
        return lease;
    }

    /// <summary>The holder's record, how long since it last renewed, and the service's time now.</summary>
    private static async Task<(LockOwner? Holder, TimeSpan SilentFor, DateTimeOffset Now)> ReadHolderAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var response = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var properties = response.Value;
        var now = response.GetRawResponse().Headers.Date ?? DateTimeOffset.UtcNow;
        LockOwner? holder = null;
        if (properties.Metadata.TryGetValue(OwnerKey, out var encoded))
        {
            try
            {
                holder = JsonSerializer.Deserialize<LockOwner>(Convert.FromBase64String(encoded));
            }
            catch (Exception ex) when (ex is FormatException or JsonException)
            {
                holder = null;
            }
        }

        return (holder, now - properties.LastModified, now);
    }

    /// <summary>Why this run no longer holds the release, or null while its lease is held.</summary>
    public string? LostReason()
    {
        if (_lost is { } lost)
        {
            return lost;
        }

        var since = _time.GetElapsedTime(Interlocked.Read(ref _lastRenewed));
        return since > _settings.TrustedFor
            ? $"its lease was last renewed {since.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture)} s ago and may have lapsed"
            : null;
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_settings.RenewEvery, _time, stop).ConfigureAwait(false);
                await _lease.RenewAsync(cancellationToken: stop).ConfigureAwait(false);
                await WriteOwnerAsync(_metadata, stop).ConfigureAwait(false);
                Interlocked.Exchange(ref _lastRenewed, _time.GetTimestamp());
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // The lease is gone (it lapsed, or was broken) and someone else may hold it: never write again.
                _lost = $"the service refused to renew its lease: HTTP {ex.Status} {ex.ErrorCode}";
                _logger.LogError("Lost the lock on release '{Release}' ({Reason}); this run stops before its next write.", _releaseId, _lost);
                return;
            }
            catch (Exception ex) when (ex is RequestFailedException or IOException or HttpRequestException)
            {
                // A passing fault: the next round tries again, and LostReason stops writes if it lasts.
                _logger.LogWarning("Could not renew the lease on release '{Release}' ({Message}); trying again.", _releaseId, ex.Message);
            }
        }
    }

    private Task WriteOwnerAsync(IDictionary<string, string> metadata, CancellationToken cancellationToken) =>
        _blob.SetMetadataAsync(metadata, new BlobRequestConditions { LeaseId = _lease.LeaseId }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        _stop.Dispose();
        if (_lost is not null)
        {
            return;
        }

        try
        {
            // Clear the record first, as the local store removes its owner file before letting go.
            await WriteOwnerAsync(new Dictionary<string, string>(StringComparer.Ordinal), CancellationToken.None).ConfigureAwait(false);
            await _lease.ReleaseAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException ex)
        {
            _logger.LogWarning("Could not release the lease on release '{Release}' (HTTP {Status} {Code}); it lapses by itself within {Seconds:F0} s.", _releaseId, ex.Status, ex.ErrorCode, _settings.Duration.TotalSeconds);
        }
    }
}
