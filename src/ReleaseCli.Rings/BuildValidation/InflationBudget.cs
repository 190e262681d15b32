namespace ReleaseCli.Rings.BuildValidation;

/// <summary>
/// How many bytes one drop file may inflate to, its nested containers included. A decompression bomb
/// (a small archive that inflates to gigabytes, or archives nested to multiply it) stops at the limit
/// instead of filling memory, the temporary folder and the clock.
/// </summary>
internal sealed class InflationBudget(long limit)
{
    private long _used;

    /// <summary>Counts <paramref name="bytes"/> just inflated at <paramref name="virtualPath"/>; throws once the file is over its limit.</summary>
    public void Take(int bytes, string virtualPath)
    {
        if (Interlocked.Add(ref _used, bytes) > limit)
        {
            throw new InflationLimitException(virtualPath, limit);
        }
    }

    /// <summary>A read-only view of <paramref name="inflating"/> that counts what it yields against the budget.</summary>
    public Stream Count(Stream inflating, string virtualPath) => new CountingStream(inflating, this, virtualPath);

    private sealed class CountingStream(Stream inner, InflationBudget budget, string virtualPath) : Core.Store.ObservedReadStream(inner)
    {
        protected override void Observe(ReadOnlySpan<byte> read) => budget.Take(read.Length, virtualPath);
    }
}
