using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>
/// Reads Azure Pipelines YAML as the service would: checks each mapping's keys against those the YAML schema
/// accepts (learn.microsoft.com/azure/devops/pipelines/yaml-schema), and expands a template's steps with its
/// parameters for <see cref="PipelineAgent"/> to run.
/// </summary>
public static partial class AzurePipelinesYaml
{
    private static readonly string[] StepCommon = ["name", "displayName", "condition", "continueOnError", "enabled", "env", "timeoutInMinutes", "target", "retryCountOnTaskFailure"];

    /// <summary>The keys each kind of mapping accepts (from the public YAML schema reference).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Keys = new Dictionary<string, string[]>
    {
        ["pipeline"] = ["name", "appendCommitMessageToRunName", "trigger", "pr", "schedules", "resources", "variables", "parameters", "pool", "stages", "jobs", "steps", "extends", "lockBehavior"],
        ["template"] = ["parameters", "variables", "stages", "jobs", "steps"],
        ["parameter"] = ["name", "displayName", "type", "default", "values"],
        ["stage"] = ["stage", "displayName", "pool", "dependsOn", "condition", "variables", "jobs", "lockBehavior", "trigger", "isSkippable", "templateContext"],
        ["job"] = ["job", "displayName", "dependsOn", "condition", "continueOnError", "timeoutInMinutes", "cancelTimeoutInMinutes", "variables", "strategy", "pool", "container", "services", "workspace", "uses", "steps", "templateContext"],
        ["pool"] = ["name", "demands", "vmImage"],
        ["bash"] = ["bash", "failOnStderr", "workingDirectory", .. StepCommon],
        ["script"] = ["script", "failOnStderr", "workingDirectory", .. StepCommon],
        ["pwsh"] = ["pwsh", "errorActionPreference", "failOnStderr", "ignoreLASTEXITCODE", "workingDirectory", .. StepCommon],
        ["task"] = ["task", "inputs", .. StepCommon],
        ["checkout"] = ["checkout", "clean", "fetchDepth", "fetchFilter", "fetchTags", "lfs", "persistCredentials", "submodules", "path", "sparseCheckoutDirectories", "sparseCheckoutPatterns", "workspaceRepo", .. StepCommon],
        ["template-step"] = ["template", "parameters"],
    };

    public static YamlMappingNode Load(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    /// <summary>Every key the service would refuse, as "path: key".</summary>
    public static IReadOnlyList<string> UnknownKeys(YamlMappingNode root)
    {
        var problems = new List<string>();
        var kind = root.Children.ContainsKey(new YamlScalarNode("trigger")) || root.Children.ContainsKey(new YamlScalarNode("stages")) && !root.Children.ContainsKey(new YamlScalarNode("steps")) ? "pipeline" : "template";
        Check(root, kind, "", problems);
        return problems;
    }

    private static void Check(YamlMappingNode node, string kind, string path, List<string> problems)
    {
        foreach (var (keyNode, value) in Entries(node))
        {
            var key = ((YamlScalarNode)keyNode).Value!;
            if (!Keys[kind].Contains(key, StringComparer.Ordinal))
            {
                problems.Add($"{path}/{key} (not a key of a {kind})");
                continue;
            }

            var here = $"{path}/{key}";
            switch (key)
            {
                case "parameters" when kind is "pipeline" or "template":
                    Each(value, "parameter", here, problems);
                    break;
                case "stages":
                    Each(value, "stage", here, problems);
                    break;
                case "jobs":
                    Each(value, "job", here, problems);
                    break;
                case "steps":
                    foreach (var step in ((YamlSequenceNode)value).Children.OfType<YamlMappingNode>())
                    {
                        var first = ((YamlScalarNode)step.Children.First().Key).Value!;
                        var stepKind = first == "template" ? "template-step" : first;
                        if (!Keys.ContainsKey(stepKind) || stepKind is "pipeline" or "template" or "parameter" or "stage" or "job" or "pool")
                        {
                            problems.Add($"{here}/{first} (not a step)");
                            continue;
                        }

                        Check(step, stepKind, $"{here}/{first}", problems);
                    }

                    break;
                case "pool" when value is YamlMappingNode pool:
                    Check(pool, "pool", here, problems);
                    break;
            }
        }
    }

    private static void Each(YamlNode value, string kind, string path, List<string> problems)
    {
        foreach (var item in ((YamlSequenceNode)value).Children.OfType<YamlMappingNode>())
        {
            // `- ${{ if … }}:` over a list inserts the list's items where it stands: each is checked alike.
            if (item.Children.Count == 1 && item.Children.Single() is { Key: YamlScalarNode { Value: { } key }, Value: YamlSequenceNode inserted } && key.StartsWith("${{", StringComparison.Ordinal))
            {
                Each(inserted, kind, path, problems);
                continue;
            }

            Check(item, kind, path, problems);
        }
    }

    /// <summary>A mapping's entries, with those under a <c>${{ if … }}</c> key taken as the mapping's own (checked alike).</summary>
    private static IEnumerable<(YamlNode Key, YamlNode Value)> Entries(YamlMappingNode node)
    {
        foreach (var (key, value) in node.Children)
        {
            if (((YamlScalarNode)key).Value!.StartsWith("${{", StringComparison.Ordinal) && value is YamlMappingNode conditional)
            {
                foreach (var entry in Entries(conditional))
                {
                    yield return entry;
                }
            }
            else
            {
                yield return (key, value);
            }
        }
    }

    /// <summary>
    /// A template's steps (with <paramref name="jobSteps"/>, a pipeline's single job's steps) with <c>${{ parameters.x }}</c>
    /// replaced (defaults for those not given) and <c>${{ if ne(parameters.x, '') }}</c> decided.
    /// </summary>
    public static IReadOnlyList<PipelineStep> ExpandSteps(string templatePath, IReadOnlyDictionary<string, string> given, bool jobSteps = false)
    {
        var root = Load(templatePath);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in ((YamlSequenceNode)root.Children[new YamlScalarNode("parameters")]).Children.OfType<YamlMappingNode>())
        {
            var name = ((YamlScalarNode)parameter.Children[new YamlScalarNode("name")]).Value!;
            parameters[name] = given.TryGetValue(name, out var value) ? value
                : parameter.Children.TryGetValue(new YamlScalarNode("default"), out var fallback) ? ((YamlScalarNode)fallback).Value ?? string.Empty
                : throw new InvalidOperationException($"{templatePath}: parameter {name} has no default and was not given");
        }

        string Expand(string text) => ParameterExpression().Replace(text, m => parameters[m.Groups[1].Value]);

        var steps = new List<PipelineStep>();
        var owner = jobSteps ? (YamlMappingNode)((YamlSequenceNode)root.Children[new YamlScalarNode("jobs")]).Children.Single() : root;
        foreach (var step in ((YamlSequenceNode)owner.Children[new YamlScalarNode("steps")]).Children.OfType<YamlMappingNode>())
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            foreach (var (key, value) in step.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                if (IfNotEmpty().Match(name) is { Success: true } condition)
                {
                    if (parameters[condition.Groups[1].Value].Length > 0 && value is YamlMappingNode included)
                    {
                        foreach (var (innerKey, innerValue) in included.Children)
                        {
                            fields[((YamlScalarNode)innerKey).Value!] = innerValue;
                        }
                    }

                    continue;
                }

                fields[name] = value;
            }

            string? Scalar(string key) => fields.TryGetValue(key, out var node) && node is YamlScalarNode scalar ? Expand(scalar.Value ?? string.Empty) : null;
            Dictionary<string, string> Map(string key) => fields.TryGetValue(key, out var node) && node is YamlMappingNode map
                ? map.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => Expand(((YamlScalarNode)e.Value).Value ?? string.Empty), StringComparer.Ordinal)
                : [];
            var kind = ((YamlScalarNode)step.Children.First().Key).Value!;
            if (kind == "template")
            {
                // A steps template, relative to this file, with its parameters expanded here first.
                steps.AddRange(ExpandSteps(Path.Combine(Path.GetDirectoryName(templatePath)!, Scalar("template")!), Map("parameters")));
                continue;
            }

            steps.Add(new PipelineStep(kind, Scalar(kind) ?? string.Empty, Scalar("name"), Scalar("displayName"), Scalar("condition"), Map("env"), Map("inputs")));
        }

        return steps;
    }

    [GeneratedRegex(@"\$\{\{\s*parameters\.([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex ParameterExpression();

    [GeneratedRegex(@"^\$\{\{\s*if ne\(parameters\.([A-Za-z0-9_]+),\s*''\)\s*\}\}$")]
    private static partial Regex IfNotEmpty();
}

/// <summary>One step of an expanded template: its kind (bash, task…), its script or task name, and what goes with it.</summary>
public sealed record PipelineStep(string Kind, string Body, string? Name, string? DisplayName, string? Condition, IReadOnlyDictionary<string, string> Env, IReadOnlyDictionary<string, string> Inputs);
