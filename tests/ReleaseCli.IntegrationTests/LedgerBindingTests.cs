using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// A release's store copied into another release's place (ledger, head, contracts and drop) is refused at its first
/// line, signatures or not: the ledger begins by naming the release and product it belongs to.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class LedgerBindingTests(SampleProducts sample)
{
    private const string Original = "contoso-sample-1.0.0";

    [Theory]
    [InlineData("\"release\": \"contoso-sample-1.0.1\"", "release contoso-sample-1.0.1 of Contoso Sample")]
    [InlineData("\"product\": \"Fabrikam Sample\"", "release contoso-sample-1.0.0 of Fabrikam Sample")]
    public async Task A_store_copied_from_another_release_is_exit_5_at_its_first_line_and_no_ring_runs(string edit, string defined)
    {
        using var source = await SampleRelease.CreateAsync(sample.Good);
        await source.PrepAndPromoteAsync();
        var key = edit.StartsWith("\"release\"", StringComparison.Ordinal) ? "\"release\": \"contoso-sample-1.0.0\"" : "\"product\": \"Contoso Sample\"";
        using var target = await SampleRelease.CreateAsync(sample.Good, d => d.Replace(key, edit, StringComparison.Ordinal));
        var id = edit.StartsWith("\"release\"", StringComparison.Ordinal) ? "contoso-sample-1.0.1" : Original;
        var copied = Path.Combine(target.Directory, ".release", id);
        StagedSample.Copy(Path.Combine(source.Directory, ".release", Original), copied);
        var ledgerBefore = await File.ReadAllBytesAsync(Path.Combine(copied, "ledger.jsonl"));

        var status = (await target.RunAsync(SampleRelease.Manager, "status", "--verify")).ShouldExitWith(5);
        Assert.Contains($"line 1: it begins the ledger of release {Original} of Contoso Sample, but release.json defines {defined}: the ledger (and whatever came with it) was copied from another release", status.StandardError, StringComparison.Ordinal);
        var ring = (await target.RunAsync(SampleRelease.Manager, "validate-source")).ShouldExitWith(5);
        Assert.Contains("copied from another release", ring.StandardError, StringComparison.Ordinal);
        Assert.Equal(ledgerBefore, await File.ReadAllBytesAsync(Path.Combine(copied, "ledger.jsonl")));
    }

}
