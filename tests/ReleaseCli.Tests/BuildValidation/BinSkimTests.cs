using System.Text;
using ReleaseCli.Rings.BuildValidation;
using ReleaseCli.Rings.BuildValidation.BinSkim;

namespace ReleaseCli.Tests.BuildValidation;

public sealed class BinSkimTests
{
    private static readonly ValidationItem App = new("drop/app.zip", "drop/app.zip/bin/App.dll", "App.dll", ["app.zip"], null, null);
    private static readonly ValidationItem Lib = new("drop/lib.dll", "drop/lib.dll", "lib.dll", [], null, null);

    [Fact]
    public void Sarif_results_become_findings_mapped_back_to_their_virtual_paths()
    {
        var sarif = """
        {"version":"2.1.0","runs":[{"tool":{"driver":{"name":"BinSkim"}},"results":[
          {"ruleId":"BA2008","level":"error","message":{"text":"App.dll does not enable Control Flow Guard."},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///tmp/x/1/App.dll"}}}]},
          {"ruleId":"BA2004","level":"warning","message":{"text":"lib.dll uses SHA-1 checksums."},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///tmp/x/2/lib.dll"}}}]},
          {"ruleId":"BA2001","kind":"pass","level":"none","message":{"text":"ok"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///tmp/x/2/lib.dll"}}}]}
        ]}]}
        """;
        var findings = BinSkimRunner.Read(Encoding.UTF8.GetBytes(sarif), [("/tmp/x/1/App.dll", App), ("/tmp/x/2/lib.dll", Lib)]);

        Assert.Equal(2, findings.Count);
        Assert.Equal(("BA2008", FindingSeverity.Error, "drop/app.zip/bin/App.dll"), (findings[0].RuleId, findings[0].Severity, findings[0].VirtualPath));
        Assert.Equal(("BA2004", FindingSeverity.Warning, "drop/lib.dll"), (findings[1].RuleId, findings[1].Severity, findings[1].VirtualPath));
        Assert.All(findings, f => Assert.Equal(ValidationCheck.BinSkim, f.Check));
    }

    [Theory]
    [InlineData("""{"version":"2.1.0"}""")]
    [InlineData("""{"runs":{"results":[]}}""")]
    [InlineData("""{"runs":[{"results":[{"ruleId":7,"level":"error"}]}]}""")]
    [InlineData("""{"runs":[{"results":[{"level":"error","locations":{}}]}]}""")]
    public void A_log_that_is_not_shaped_as_sarif_is_a_json_exception(string sarif)
    {
        var ex = Assert.Throws<System.Text.Json.JsonException>(() => BinSkimRunner.Read(Encoding.UTF8.GetBytes(sarif), [("/tmp/x/2/lib.dll", Lib)]));
        Assert.StartsWith("it is not a SARIF 2.1.0 log", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binskim_path_that_cannot_start_is_an_error_not_a_pass()
    {
        var findings = await BinSkimRunner.RunAsync("/nonexistent/binskim", [("/tmp/x/lib.dll", Lib)], Path.Combine(Path.GetTempPath(), "binskim-test-" + Guid.NewGuid().ToString("N")[..8]), CancellationToken.None);
        var finding = Assert.Single(findings);
        Assert.Equal("BSK001", finding.RuleId);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }
}
