using System.Text.Json.Nodes;
using ReleaseCli.Core;
using ReleaseCli.Core.Ledger;
using ReleaseCli.Core.Status;
using ReleaseCli.Output;

namespace ReleaseCli.Tests.Engine;

/// <summary>status lists, under a ring not yet promoted, the shards that reported for the current contract and those the final run still waits for.</summary>
public sealed class ShardStatusTests
{
    [Fact]
    public async Task Status_lists_the_shards_of_the_latest_count_that_reported_for_the_contract_and_those_missing()
    {
        using var harness = await EngineHarness.CreateAsync();
        Assert.Equal(ExitCode.Success, (await harness.RunAsync("prep")).ExitCode);
        var contract = (await harness.StateAsync()).ContractDigest;
        Assert.NotNull(contract);

        // A report of an earlier shard count, and one of another contract, are not the set the final run waits on.
        await Report(harness, 1, 2, contract, "alice@x.com", 5);
        await Report(harness, 1, 3, "sha256:" + new string('0', 64), "alice@x.com", 4);
        var second = await Report(harness, 2, 3, contract, "bob@x.com", 7);

        var status = ReleaseStatusBuilder.Build(harness.Definition, harness.Environment.Trust.Signers, (await harness.StateAsync()).Events, verified: null);
        var ring = status.Rings.Single(r => r.Ring == "validate-build");
        var shards = Assert.IsType<ShardsStatus>(ring.Shards);
        Assert.Equal(3, shards.Count);
        var reported = Assert.Single(shards.Reported);
        Assert.Equal((2, second, "bob@x.com", 7), (reported.Shard, reported.Event, reported.Actor, reported.Files));
        Assert.Equal([1, 3], shards.Missing);
        Assert.All(status.Rings.Where(r => r.Ring != "validate-build"), r => Assert.Null(r.Shards));

        var text = new StringWriter();
        new StatusRenderer(new CliConsole(text, new StringWriter(), false)).RenderRing(ring);
        var lines = text.ToString().Split('\n');
        Assert.Contains(lines, l => l.Contains("shard", StringComparison.Ordinal) && l.Contains("2/3", StringComparison.Ordinal) && l.Contains("bob@x.com", StringComparison.Ordinal) && l.Contains($"reported 7 file(s) (event {second})", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("1/3", StringComparison.Ordinal) && l.TrimEnd().EndsWith("not reported", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("3/3", StringComparison.Ordinal) && l.TrimEnd().EndsWith("not reported", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("1/2", StringComparison.Ordinal));
    }

    private static Task<int> Report(EngineHarness harness, int shard, int count, string contract, string actor, int files) =>
        DecisionAuditTests.AppendByHandAsync(harness, new LedgerEvent
        {
            Type = LedgerEventType.ShardReported,
            Ring = "validate-build",
            Actor = actor,
            ContractDigest = contract,
            Message = $"shard {shard}/{count}",
            Data = new JsonObject { ["shard"] = shard, ["shards"] = count, ["key"] = "k", ["files"] = files },
        });
}
