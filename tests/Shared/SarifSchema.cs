using System.Text.Json;
using Json.Schema;

namespace ReleaseCli.Testing;

/// <summary>The SARIF 2.1.0 JSON schema of the unit tests' TestData (see its README), and the problems a log has against it.</summary>
public static class SarifSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(Load);

    public static IReadOnlyList<string> Problems(byte[] log)
    {
        var result = Schema.Value.Evaluate(JsonDocument.Parse(log).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid ? [] : [.. (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }

    private static JsonSchema Load()
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "ReleaseCli.Tests", "TestData", "sarif-schema-2.1.0.json");
        var text = File.ReadAllText(path)
            .Replace("\"$schema\": \"http://json-schema.org/draft-04/schema#\"", "\"$schema\": \"http://json-schema.org/draft-07/schema#\"", StringComparison.Ordinal);
        var id = text.IndexOf("\"id\": \"https://docs.oasis-open.org", StringComparison.Ordinal);
        Assert.True(id > 0, $"{path} is not the SARIF schema the tests expect");
        text = text[..id] + "\"$id\"" + text[(id + 4)..];
        return JsonSchema.FromText(text);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ReleaseCli.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (ReleaseCli.sln) was not found above " + AppContext.BaseDirectory);
    }
}
