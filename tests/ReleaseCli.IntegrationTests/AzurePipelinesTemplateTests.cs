using System.Globalization;
using ReleaseCli.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace ReleaseCli.IntegrationTests;

/// <summary>
/// The Azure Pipelines templates under eng/pipelines, checked and run as an agent would: the YAML uses only keys
/// the service accepts, and each job's script steps run against the sample release with the tool installed from
/// its package, a shared local store, and the pending ring's output variable read by the next stage's condition.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class AzurePipelinesTemplateTests(SampleProducts sample)
{
    private static readonly string Pipelines = Path.Combine(SampleProducts.RepositoryRoot, "eng", "pipelines");

    [Fact]
    public void Every_template_parses_and_uses_only_keys_azure_pipelines_accepts()
    {
        var files = Directory.GetFiles(Pipelines, "*.yml");
        Assert.Contains(files, f => f.EndsWith("release-pipeline.yml", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var problems = AzurePipelinesYaml.UnknownKeys(AzurePipelinesYaml.Load(file));
            Assert.True(problems.Count == 0, $"{Path.GetFileName(file)}: {string.Join(", ", problems)}");
        }

        // The checker is not blind: a misspelt step key is caught.
        var misspelt = Path.Combine(Path.GetTempPath(), $"misspelt-{Guid.NewGuid():N}.yml");
        File.WriteAllText(misspelt, "steps:\n  - bash: echo\n    displayname: wrong case\n");
        Assert.Equal(["/steps/bash/displayname (not a key of a bash)"], AzurePipelinesYaml.UnknownKeys(AzurePipelinesYaml.Load(misspelt)));
        File.Delete(misspelt);
    }

    [Fact]
    public void Each_ring_stage_runs_only_when_the_previous_ring_was_promoted()
    {
        var pipeline = AzurePipelinesYaml.Load(Path.Combine(Pipelines, "release-pipeline.yml"));
        var stages = ((YamlSequenceNode)pipeline.Children[new YamlScalarNode("stages")]).Children.Cast<YamlMappingNode>().ToList();
        Assert.Equal(["prep", "validate_source", "validate_build", "stage", "publish"], stages.Select(s => Scalar(s, "stage")));
        for (var i = 1; i < stages.Count; i++)
        {
            var previous = Scalar(stages[i - 1], "stage");
            Assert.Equal(previous, Scalar(stages[i], "dependsOn"));
            // The output variable the ring template's step `run` sets, in the job `ring`.
            Assert.Equal($"and(succeeded(), eq(dependencies.{previous}.outputs['ring.run.outcome'], 'promoted'))", Scalar(stages[i], "condition"));
            // The ring's own job, `ring`, is the last (validate-build may run its shards before it).
            var job = ((YamlSequenceNode)stages[i].Children[new YamlScalarNode("jobs")]).Children.Cast<YamlMappingNode>().Last();
            Assert.Equal("ring", Scalar(job, "job"));
        }

        var ringSteps = AzurePipelinesYaml.ExpandSteps(Path.Combine(Pipelines, "release-ring.yml"), new Dictionary<string, string> { ["ring"] = "prep" });
        Assert.Contains(ringSteps, s => s.Name == "run" && s.Body.Contains("variable=outcome;isOutput=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pending_ring_sets_its_output_variable_and_succeeds_then_approval_and_a_rerun_promote_it()
    {
        using var release = await SampleRelease.CreateAsync(sample.Good);
        var agentFolder = Path.Combine(release.Directory, "agent");
        var feed = Path.Combine(agentFolder, "feed");
        await ToolPackage.PackAsync(feed);
        var store = Path.Combine(agentFolder, "shared-store");
        var parameters = new Dictionary<string, string>
        {
            ["ring"] = "prep",
            ["build"] = release.AppBuildId.ToString(CultureInfo.InvariantCulture),
            ["store"] = $$"""{"kind":"local","path":"{{store}}"}""",
            ["toolFeed"] = feed,
        };
        var ringTemplate = Path.Combine(Pipelines, "release-ring.yml");

        // First agent: the ring waits for the release team's approval.
        var first = new PipelineAgent(release.Directory, SampleRelease.Manager, Path.Combine(agentFolder, "first"));
        await first.RunAsync(AzurePipelinesYaml.ExpandSteps(ringTemplate, parameters));
        Assert.All(first.Ran, r => Assert.True(r.Result.ExitCode == 0, $"{r.Step.DisplayName}: {r.Result}"));
        Assert.Equal(3, first.Ran.Count);
        Assert.Equal("pending", first.Outputs["run.outcome"]);
        Assert.Equal("false", first.Outputs["run.promoted"]);
        Assert.Equal("3", first.Outputs["run.exitCode"]);
        Assert.Contains("##vso[task.complete result=SucceededWithIssues;]", first.Ran[1].Result.StandardError, StringComparison.Ordinal);

        // What the results step gathered is what the publish task is given, and it holds status, ledger, report and summary.
        var (task, inputs) = Assert.Single(first.Tasks);
        Assert.Equal("PublishPipelineArtifact@1", task.Body);
        Assert.Equal("release-prep-1", inputs["artifact"]);
        var published = inputs["targetPath"];
        foreach (var file in new[] { "status.json", "ring.json", "ledger.jsonl", "summary.md" })
        {
            Assert.True(File.Exists(Path.Combine(published, file)), $"{file} not in {published}: {first.Ran[2].Result}");
        }

        OutputSchemas.AssertValid("ring", await File.ReadAllTextAsync(Path.Combine(published, "ring.json")));
        var summary = await File.ReadAllTextAsync(Path.Combine(published, "summary.md"));
        Assert.Contains("## release prep: pending", summary, StringComparison.Ordinal);
        Assert.Contains($"| gate | release-team | pending | may approve: {SampleRelease.ReleaseTeam} |", summary, StringComparison.Ordinal);
        Assert.Contains($"##vso[task.uploadsummary]{Path.Combine(published, "summary.md")}", first.Ran[2].Result.StandardOutput, StringComparison.Ordinal);
        // The release lives in the store the parameter named, where the next agent finds it.
        Assert.True(File.Exists(Path.Combine(store, "contoso-sample-1.0.0", "ledger.jsonl")));

        // The release team approves through the approval pipeline, as the person who queued it.
        var approve = new PipelineAgent(release.Directory, SampleRelease.ReleaseTeam, Path.Combine(agentFolder, "approve"));
        await approve.RunAsync(AzurePipelinesYaml.ExpandSteps(Path.Combine(Pipelines, "release-approve.yml"), new Dictionary<string, string>
        {
            ["ring"] = "prep",
            ["gate"] = "release-team",
            ["text"] = "checked the drop",
            ["store"] = parameters["store"],
            ["toolFeed"] = feed,
        }, jobSteps: true));
        Assert.All(approve.Ran, r => Assert.True(r.Result.ExitCode == 0, $"{r.Step.DisplayName}: {r.Result}"));
        var decision = OutputSchemas.AssertValid("decision", approve.Ran[^1].Result.StandardOutput);
        Assert.Equal("azure-pipelines", (string?)decision["identityProvider"]);

        // A later run of the pipeline, on another agent: the ring is promoted and the next stage's condition holds.
        var second = new PipelineAgent(release.Directory, SampleRelease.Manager, Path.Combine(agentFolder, "second"));
        await second.RunAsync(AzurePipelinesYaml.ExpandSteps(ringTemplate, parameters));
        Assert.All(second.Ran, r => Assert.True(r.Result.ExitCode == 0, $"{r.Step.DisplayName}: {r.Result}"));
        Assert.Equal("promoted", second.Outputs["run.outcome"]);
        Assert.Equal("true", second.Outputs["run.promoted"]);
    }

    [Fact]
    public void With_more_than_one_validate_build_shard_a_parallel_job_runs_one_shard_a_leg_before_the_ring_job()
    {
        var pipeline = AzurePipelinesYaml.Load(Path.Combine(Pipelines, "release-pipeline.yml"));
        var parameter = ((YamlSequenceNode)pipeline.Children[new YamlScalarNode("parameters")]).Children.Cast<YamlMappingNode>().Single(p => Scalar(p, "name") == "validateBuildShards");
        Assert.Equal(("number", "1"), (Scalar(parameter, "type"), Scalar(parameter, "default")));

        const string Sharded = "${{ if gt(parameters.validateBuildShards, 1) }}";
        var stages = ((YamlSequenceNode)pipeline.Children[new YamlScalarNode("stages")]).Children.Cast<YamlMappingNode>().ToList();
        var jobs = ((YamlSequenceNode)stages.Single(s => Scalar(s, "stage") == "validate_build").Children[new YamlScalarNode("jobs")]).Children.Cast<YamlMappingNode>().ToList();
        Assert.Equal(2, jobs.Count);

        // Only with shards: the job `shard`, one leg per shard, each running release-shard.yml with its position of n.
        var inserted = (YamlSequenceNode)jobs[0].Children[new YamlScalarNode(Sharded)];
        var shard = Assert.IsType<YamlMappingNode>(Assert.Single(inserted.Children));
        Assert.Equal("shard", Scalar(shard, "job"));
        Assert.Equal("${{ parameters.validateBuildShards }}", Scalar((YamlMappingNode)shard.Children[new YamlScalarNode("strategy")], "parallel"));
        var template = ((YamlSequenceNode)shard.Children[new YamlScalarNode("steps")]).Children.Cast<YamlMappingNode>().Single(s => s.Children.ContainsKey(new YamlScalarNode("template")));
        Assert.Equal("release-shard.yml", Scalar(template, "template"));
        var given = ((YamlMappingNode)template.Children[new YamlScalarNode("parameters")]).Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value!);
        Assert.Equal("$(System.JobPositionInPhase)/$(System.TotalJobsInPhase)", given["shard"]);
        Assert.Equal("${{ parameters.store }}", given["store"]);

        // The ring job runs after every leg, and only then when there are shards.
        var ring = jobs[1];
        Assert.Equal("ring", Scalar(ring, "job"));
        Assert.False(ring.Children.ContainsKey(new YamlScalarNode("dependsOn")));
        Assert.Equal("shard", Scalar((YamlMappingNode)ring.Children[new YamlScalarNode(Sharded)], "dependsOn"));

        // The shard template's step runs the shard it is given, on the definition with the store it is given.
        var steps = AzurePipelinesYaml.ExpandSteps(Path.Combine(Pipelines, "release-shard.yml"), new Dictionary<string, string> { ["shard"] = "2/3", ["store"] = """{"kind":"azure-blob"}""" });
        Assert.Equal(["install release 0.1.0", "release validate-build --shard 2/3"], steps.Select(s => s.DisplayName));
        Assert.Contains("release validate-build --definition \"$definition\" --shard \"2/3\"", steps[^1].Body, StringComparison.Ordinal);
        Assert.Contains("store='{\"kind\":\"azure-blob\"}'", steps[^1].Body, StringComparison.Ordinal);
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;
}
