using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Hosting;
using ReleaseCli.Output;

namespace ReleaseCli.Tests.Definition;

/// <summary>docs/release.schema.json and the catalogues of this build of the tool say the same thing.</summary>
public sealed class SchemaCatalogueTests
{
    private static readonly string RepositoryRoot = FindRepositoryRoot();

    private static JsonNode Schema() => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "release.schema.json")))!;

    /// <summary>The catalogues exactly as the executable registers them.</summary>
    private static (StepCatalog Steps, GateCatalog Gates) Catalogues()
    {
        var services = new ServiceCollection()
            .AddSingleton(new SecretMaskerHolder().Masker)
            .AddLogging()
            .AddReleaseCli(new CliConsole(TextWriter.Null, TextWriter.Null, false))
            .BuildServiceProvider();
        return (services.GetRequiredService<StepCatalog>(), services.GetRequiredService<GateCatalog>());
    }

    [Fact]
    public void Every_step_kind_and_each_of_its_settings_is_in_the_schema_and_nothing_else_is()
    {
        var (steps, _) = Catalogues();
        var defs = Schema()["$defs"]!.AsObject();
        var schemaKinds = defs["step"]!["properties"]!["kind"]!["enum"]!.AsArray().Select(k => k!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(steps.Kinds.Order(StringComparer.Ordinal), schemaKinds);

        var settingsDefs = defs.Where(d => d.Key.StartsWith("settings.", StringComparison.Ordinal)).Select(d => d.Key["settings.".Length..]).Order(StringComparer.Ordinal);
        Assert.Equal(steps.Kinds.Order(StringComparer.Ordinal), settingsDefs);
        foreach (var step in steps.All)
        {
            var fragment = defs[$"settings.{step.Kind}"]!;
            Assert.False(fragment["additionalProperties"]!.GetValue<bool>(), $"settings.{step.Kind} must refuse unknown settings, as the loader does");
            var names = fragment["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
            Assert.True(step.SettingNames.Order(StringComparer.Ordinal).SequenceEqual(names), $"{step.Kind}: the catalogue has {string.Join(", ", step.SettingNames.Order(StringComparer.Ordinal))}; the schema has {string.Join(", ", names)}");
        }

        var conditional = defs["step"]!["allOf"]!.AsArray().Select(c => c!["if"]!["properties"]!["kind"]!["const"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(steps.Kinds.Order(StringComparer.Ordinal), conditional);
    }

    [Fact]
    public void Every_gate_kind_is_in_the_schema_and_nothing_else_is()
    {
        var (_, gates) = Catalogues();
        var schemaKinds = Schema()["$defs"]!["gate"]!["properties"]!["kind"]!["enum"]!.AsArray().Select(k => k!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(gates.Kinds.Order(StringComparer.Ordinal), schemaKinds);
    }

    [Fact]
    public void The_sample_definition_validates_against_the_schema_and_a_misspelt_setting_does_not()
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "release.schema.json")));
        var sample = File.ReadAllText(Path.Combine(RepositoryRoot, "eng", "sample", "release.json"));
        var result = schema.Evaluate(JsonDocument.Parse(sample).RootElement, new EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));

        var misspelt = sample.Replace("\"maxDownloads\"", "\"maxDownload\"", StringComparison.Ordinal);
        Assert.NotEqual(sample, misspelt);
        Assert.False(schema.Evaluate(JsonDocument.Parse(misspelt).RootElement).IsValid);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ReleaseCli.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (ReleaseCli.sln) is not above the test folder");
    }

    private sealed class SecretMaskerHolder
    {
        public ReleaseCli.Core.Security.SecretMasker Masker { get; } = new();
    }
}
