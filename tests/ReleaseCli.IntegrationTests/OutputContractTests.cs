using System.Globalization;
using System.Text.Json.Nodes;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// Every verb's <c>--output json</c> document, from real runs on the sample product, against its schema in
/// docs/output: the contract scripts and the PowerShell module rely on.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class OutputContractTests(SampleProducts sample)
{
    [Fact]
    public async Task Ring_decision_status_and_error_documents_match_their_schemas()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var build = release.AppBuildId.ToString(CultureInfo.InvariantCulture);

        var pending = (await release.RunAsync(SampleRelease.Manager, "prep", "--build", build, "--output", "json")).ShouldExitWith(3);
        var ring = OutputSchemas.AssertValid("ring", pending.StandardOutput);
        Assert.Equal("pending", (string?)ring["outcome"]);
        Assert.Equal("pending", (string?)ring["status"]!["state"]);
        var gate = Gate(ring["status"]!, "release-team");
        Assert.Equal("pending", (string?)gate["status"]);
        // Who may still approve is data: the manager ran the ring, so only the release team's member is named.
        Assert.Equal([SampleRelease.ReleaseTeam], gate["waiting"]!["mayApprove"]!.AsArray().Select(p => (string?)p));
        Assert.Equal(0, (int?)gate["waiting"]!["given"]);
        Assert.Equal(1, (int?)gate["waiting"]!["needed"]);
        // The schemas catch the old spelling of a state, and a field they do not document.
        Assert.False(OutputSchemas.IsValid("ring", pending.StandardOutput.Replace("\"status\": \"pending\"", "\"status\": \"Pending\"", StringComparison.Ordinal)));
        Assert.False(OutputSchemas.IsValid("ring", pending.StandardOutput.Replace("\"usedOverrides\"", "\"undocumented\": 1, \"usedOverrides\"", StringComparison.Ordinal)));

        var approve = (await release.RunAsync(SampleRelease.ReleaseTeam, "approve", "prep", "--gate", "release-team", "--comment", "complete", "--output", "json")).ShouldSucceed();
        var decision = OutputSchemas.AssertValid("decision", approve.StandardOutput);
        Assert.Equal("approved", (string?)decision["decision"]);
        Assert.Equal(SampleRelease.ReleaseTeam, (string?)decision["actor"]);
        Assert.False((bool?)decision["alreadyRecorded"]);
        var again = OutputSchemas.AssertValid("decision", (await release.RunAsync(SampleRelease.ReleaseTeam, "approve", "prep", "--gate", "release-team", "--output", "json")).ShouldSucceed().StandardOutput);
        Assert.True((bool?)again["alreadyRecorded"]);
        Assert.Equal((int?)decision["event"], (int?)again["event"]);

        var promoted = OutputSchemas.AssertValid("ring", (await release.RunAsync(SampleRelease.Manager, "prep", "--output", "json")).ShouldSucceed().StandardOutput);
        Assert.Equal("promoted", (string?)promoted["outcome"]);
        Assert.Equal("promoted", (string?)promoted["status"]!["lastRun"]!["outcome"]);
        Assert.Equal("passed", (string?)promoted["status"]!["entry"]!["status"]);
        var recorded = promoted["status"]!["decisions"]!.AsArray().Single()!;
        Assert.Equal((int?)decision["event"], (int?)recorded["event"]);

        var source = OutputSchemas.AssertValid("ring", (await release.RunAsync(SampleRelease.Manager, "validate-source", "--output", "json")).ShouldSucceed().StandardOutput);
        Assert.All(source["status"]!["steps"]!.AsArray().SelectMany(s => s!["legs"]?.AsArray() ?? []), leg => Assert.Equal("succeeded", (string?)leg!["status"]));

        var status = OutputSchemas.AssertValid("status", (await release.RunAsync(SampleRelease.Manager, "status", "--verify", "--output", "json")).ShouldSucceed().StandardOutput);
        Assert.Equal(["promoted", "promoted", "notStarted", "notStarted", "notStarted"], status["rings"]!.AsArray().Select(r => (string?)r!["state"]));

        var reject = OutputSchemas.AssertValid("decision", (await release.RunAsync(SampleRelease.ReleaseTeam, "reject", "prep", "--gate", "release-team", "--reason", "the notes are not final", "--output", "json")).ShouldSucceed().StandardOutput);
        Assert.Equal("rejected", (string?)reject["decision"]);

        // Nothing failed, so there is nothing to override: the error document, with the usage exit code.
        var refused = (await release.RunAsync(SampleRelease.Manager, "override", "prep", "--gate", "versions", "--justification", "no reason at all", "--output", "json")).ShouldExitWith(2);
        var error = OutputSchemas.AssertValid("error", refused.StandardOutput);
        Assert.Equal(2, (int?)error["exitCode"]);
    }

    [Fact]
    public async Task Override_documents_and_bar_verbs_match_their_schemas()
    {
        using var release = await SampleRelease.CreateAsync(sample.Broken);
        (await release.RunAsync(SampleRelease.Manager, "prep", "--build", release.AppBuildId.ToString(CultureInfo.InvariantCulture))).ShouldExitWith(1);
        var overridden = OutputSchemas.AssertValid("decision", (await release.RunAsync(SampleRelease.SecondManager, "override", "prep", "--gate", "versions", "--justification", "0.9.0 ships to the legacy feed only", "--output", "json")).ShouldSucceed().StandardOutput);
        Assert.Equal("overridden", (string?)overridden["decision"]);
        Assert.Equal(SampleRelease.SecondManager, (string?)overridden["actor"]);
        var status = OutputSchemas.AssertValid("status", (await release.RunAsync(SampleRelease.Manager, "status", "--output", "json")).ShouldSucceed().StandardOutput);
        var versions = Gate(status["rings"]![0]!, "versions");
        Assert.Equal("failed", (string?)versions["status"]);
        Assert.Equal((int?)overridden["event"], (int?)status["rings"]![0]!["overrides"]![0]!["event"]);

        // A changed trust list (one more Release Team member) accepted by an overrider, then found in effect.
        var definitionPath = Path.Combine(release.Directory, "release.json");
        var definition = await File.ReadAllTextAsync(definitionPath);
        var widened = definition.Replace("\"release-team\": [\"bob@contoso.com\", \"alice@contoso.com\"]", "\"release-team\": [\"bob@contoso.com\", \"alice@contoso.com\", \"frank@contoso.com\"]", StringComparison.Ordinal);
        Assert.NotEqual(definition, widened);
        await File.WriteAllTextAsync(definitionPath, widened);
        var accepted = OutputSchemas.AssertValid("accept-definition", (await release.RunAsync(SampleRelease.SecondManager, "accept-definition", "--justification", "frank joins the Release Team", "--output", "json")).ShouldSucceed().StandardOutput);
        Assert.Contains("frank@contoso.com", (string?)accepted["message"], StringComparison.Ordinal);
        var again = OutputSchemas.AssertValid("accept-definition", (await release.RunAsync(SampleRelease.SecondManager, "accept-definition", "--justification", "checking that nothing changed since", "--output", "json")).ShouldSucceed().StandardOutput);
        Assert.Contains("nothing to accept", (string?)again["message"], StringComparison.Ordinal);

        OutputSchemas.AssertValid("bar-channels", (await release.RunAsync(SampleRelease.Manager, "bar", "channels", "--output", "json")).ShouldSucceed().StandardOutput);
        OutputSchemas.AssertValid("bar-channel", (await release.RunAsync(SampleRelease.Manager, "bar", "add-channel", "Contoso Hotfixes", "--output", "json")).ShouldSucceed().StandardOutput);
        var core = release.CoreBuildId.ToString(CultureInfo.InvariantCulture);
        OutputSchemas.AssertValid("bar-build", (await release.RunAsync(SampleRelease.Manager, "bar", "get-build", core, "--output", "json")).ShouldSucceed().StandardOutput);
        OutputSchemas.AssertValid("bar-assignment", (await release.RunAsync(SampleRelease.Manager, "bar", "add-to-channel", "--build", core, "--channel", "Contoso Hotfixes", "--output", "json")).ShouldSucceed().StandardOutput);
        var missing = (await release.RunAsync(SampleRelease.Manager, "bar", "get-build", "999", "--output", "json")).ShouldExitWith(2);
        OutputSchemas.AssertValid("error", missing.StandardOutput);
        var drop = Path.Combine(release.Directory, "gathered");
        var plan = (await release.RunAsync(SampleRelease.Manager, "gather-drop", "--id", core, "--output-dir", drop, "--dry-run", "--output", "json")).ShouldSucceed();
        Assert.NotNull(OutputSchemas.AssertValid("gather-drop", plan.StandardOutput)["assets"]);
        var gathered = (await release.RunAsync(SampleRelease.Manager, "gather-drop", "--id", core, "--output-dir", drop, "--output", "json")).ShouldSucceed();
        Assert.NotNull(OutputSchemas.AssertValid("gather-drop", gathered.StandardOutput)["manifest"]);
    }

    private static JsonNode Gate(JsonNode ring, string id) => ring["gates"]!.AsArray().Single(g => (string?)g!["id"] == id)!;
}
