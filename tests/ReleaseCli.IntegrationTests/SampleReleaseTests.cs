using System.Text.Json;
using ReleaseCli.IntegrationTests.Infrastructure;

namespace ReleaseCli.IntegrationTests;

[Collection(SampleCollection.Name)]
public sealed class SampleReleaseTests(SampleProducts sample)
{
    [Fact]
    public async Task Good_sample_goes_through_all_five_rings_and_publish_marks_nothing_released_without_publish_steps()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        await release.PrepAndPromoteAsync();
        (await release.RunAsync(SampleRelease.Manager, "validate-source")).ShouldSucceed();
        (await release.RunAsync(SampleRelease.Manager, "validate-build")).ShouldExitWith(3);
        (await release.RunAsync("carol@contoso.com", "approve", "validate-build", "--gate", "team-sign-offs")).ShouldSucceed();
        (await release.RunAsync("dave@contoso.com", "approve", "validate-build", "--gate", "team-sign-offs")).ShouldSucceed();
        (await release.RunAsync(SampleRelease.Tactics, "approve", "validate-build", "--gate", "tactics")).ShouldSucceed();
        (await release.RunAsync(SampleRelease.Manager, "validate-build")).ShouldSucceed();
        (await release.RunAsync(SampleRelease.Manager, "stage")).ShouldExitWith(3);
        (await release.RunAsync(SampleRelease.Tactics, "approve", "stage", "--gate", "tactics")).ShouldSucceed();
        (await release.RunAsync(SampleRelease.Manager, "stage")).ShouldSucceed();
        var publish = (await release.RunAsync(SampleRelease.Manager, "publish", "--output", "json")).ShouldSucceed();

        using var report = JsonDocument.Parse(publish.StandardOutput);
        Assert.Equal("promoted", report.RootElement.GetProperty("outcome").GetString());
        Assert.Contains("nothing was published (publish has no publish steps)", report.RootElement.GetProperty("message").GetString());

        // Promoted to the last channel, but not released: nothing was shipped anywhere.
        var build = (await release.RunAsync(SampleRelease.Manager, "bar", "get-build", release.AppBuildId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--output", "json")).ShouldSucceed();
        using var buildJson = JsonDocument.Parse(build.StandardOutput);
        Assert.False(buildJson.RootElement.GetProperty("released").GetBoolean());
        Assert.Contains(buildJson.RootElement.GetProperty("channels").EnumerateArray(), c => c.GetProperty("name").GetString() == "Contoso Sample Released");

        var status = (await release.RunAsync(SampleRelease.Manager, "status", "--verify", "--output", "json")).ShouldSucceed();
        using var statusJson = JsonDocument.Parse(status.StandardOutput);
        Assert.All(statusJson.RootElement.GetProperty("rings").EnumerateArray(), ring => Assert.Equal("promoted", ring.GetProperty("state").GetString()));
        Assert.True(statusJson.RootElement.GetProperty("ledgerVerified").GetBoolean());
        var publishRing = statusJson.RootElement.GetProperty("rings").EnumerateArray().Single(r => r.GetProperty("ring").GetString() == "publish");
        Assert.Contains("nothing was published", publishRing.GetProperty("promotion").GetProperty("message").GetString());
    }
}
