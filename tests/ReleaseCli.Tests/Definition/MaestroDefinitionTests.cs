using ReleaseCli.Core.Gates;
using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Rings.Prep;

namespace ReleaseCli.Tests.Definition;

/// <summary>The <c>bar</c> section for a Maestro BAR: address, credential settings, timeouts, and --bar-uri.</summary>
public sealed class MaestroDefinitionTests
{
    private static readonly ReleaseDefinitionLoader Loader = new(new StepCatalog([new GatherDropStep(Array.Empty<IAssetSource>())]), new GateCatalog(BuiltInGates.All));

    private static ReleaseDefinition Load(string bar) =>
        Loader.Parse(ReleaseDefinitionLoaderTests.Valid(extraTop: $"\"bar\": {bar},"), "/tmp/release.json");

    private static DefinitionException Fails(string bar) =>
        Assert.Throws<DefinitionException>(() => Load(bar));

    [Fact]
    public void Maestro_bar_loads_its_credential_settings_and_timeouts()
    {
        var bar = Load("""
            { "kind": "maestro", "uri": "https://maestro.example.com", "tokenVariable": "BAR_TOKEN", "tokenScope": "api://maestro/.default",
              "http": { "attemptTimeoutSeconds": 2.5, "totalTimeoutSeconds": 60, "maxRetries": 6, "retryDelaySeconds": 0.5 } }
            """).Bar;

        Assert.Equal(BarSettings.MaestroKind, bar.Kind);
        Assert.Equal("https://maestro.example.com", bar.Uri);
        Assert.Equal("BAR_TOKEN", bar.TokenVariable);
        Assert.Equal("api://maestro/.default", bar.TokenScope);
        Assert.Equal(new BarHttpSettings(TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(60), 6, TimeSpan.FromSeconds(0.5)), bar.Http);
    }

    [Fact]
    public void Maestro_bar_without_http_uses_the_default_timeouts()
    {
        Assert.Equal(BarHttpSettings.Default, Load("""{ "kind": "maestro", "uri": "https://maestro.example.com" }""").Bar.Http);
    }

    [Fact]
    public void Maestro_http_settings_out_of_range_are_reported_with_their_paths()
    {
        var error = Fails("""
            { "kind": "maestro", "uri": "https://maestro.example.com",
              "http": { "attemptTimeoutSeconds": 0, "totalTimeoutSeconds": "soon", "maxRetries": 0, "retryDelaySeconds": -1, "retries": 3 } }
            """);

        Assert.Contains("$.bar.http.attemptTimeoutSeconds: 0 is out of range", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.bar.http.totalTimeoutSeconds: expected a number", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.bar.http.maxRetries: 0 is out of range; use 1 to 20.", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.bar.http.retryDelaySeconds: -1 is out of range", error.Message, StringComparison.Ordinal);
        Assert.Contains("$.bar.http.retries: unknown key 'retries'.", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.UsageError, error.ExitCode);
    }

    [Fact]
    public void Maestro_total_timeout_must_exceed_the_attempt_timeout()
    {
        var error = Fails("""{ "kind": "maestro", "uri": "https://m.example.com", "http": { "attemptTimeoutSeconds": 30, "totalTimeoutSeconds": 30 } }""");

        Assert.Contains("$.bar.http.totalTimeoutSeconds: 30 must be more than attemptTimeoutSeconds (30)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Maestro_token_pasted_as_the_variable_name_is_refused_without_repeating_it()
    {
        const string token = "eyJhbGciOi.JSUzI1NiJ9-secret";

        var error = Fails($$"""{ "kind": "maestro", "uri": "https://m.example.com", "tokenVariable": "{{token}}" }""");

        Assert.Contains("$.bar.tokenVariable: must be the name of an environment variable", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Maestro_http_settings_on_a_local_bar_are_an_error()
    {
        var error = Fails("""{ "kind": "local", "http": { "maxRetries": 2 } }""");

        Assert.Contains("$.bar.http: applies only to a \"maestro\" BAR", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Maestro_bar_uri_turns_a_local_bar_into_maestro_and_keeps_maestro_settings()
    {
        var local = Load("""{ "kind": "local", "path": "bar.db" }""").Bar.WithMaestroUri("https://other.example.com");
        var maestro = Load("""{ "kind": "maestro", "uri": "https://m.example.com", "tokenVariable": "BAR_TOKEN", "http": { "maxRetries": 7 } }""").Bar
            .WithMaestroUri("https://other.example.com");

        Assert.Equal(new BarSettings(BarSettings.MaestroKind, null, "https://other.example.com", null, null), local);
        Assert.Equal(("https://other.example.com", "BAR_TOKEN", 7), (maestro.Uri, maestro.TokenVariable, maestro.Http.MaxRetries));
        var error = Assert.Throws<ReleaseException>(() => local.WithMaestroUri("maestro.example.com"));
        Assert.Contains("--bar-uri", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.UsageError, error.ExitCode);
    }

    [Fact]
    public void Maestro_over_plain_http_is_refused_unless_it_is_on_this_machine()
    {
        var error = Fails("""{ "kind": "maestro", "uri": "http://maestro.example.com" }""");

        Assert.Contains("$.bar.uri: 'http://maestro.example.com' is plain http to maestro.example.com", error.Message, StringComparison.Ordinal);
        Assert.Contains("use its https address", error.Message, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:5080", Load("""{ "kind": "maestro", "uri": "http://127.0.0.1:5080" }""").Bar.Uri);
        var local = Load("""{ "kind": "local" }""").Bar;
        var usage = Assert.Throws<ReleaseException>(() => local.WithMaestroUri("http://maestro.example.com"));
        Assert.StartsWith("--bar-uri: 'http://maestro.example.com' is plain http", usage.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.UsageError, usage.ExitCode);
        Assert.Equal("http://localhost:5080", local.WithMaestroUri("http://localhost:5080").Uri);
    }
}
