using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core;
using ReleaseCli.Core.Bar;
using ReleaseCli.Integrations.Bar;
using ReleaseCli.Output;

namespace ReleaseCli.Verbs;

public sealed record BarOptions(string Verb, FileInfo Definition, OutputFormat Output, FileInfo? BarDb, string? Name, string? Classification, FileInfo? BuildData, int? BuildId, string? Channel, string? BarUri = null);

/// <summary>
/// <c>release bar …</c>: look at the BAR the release uses, and fill the local SQLite BAR
/// (channels, builds in Maestro's BuildData shape, channel assignments).
/// </summary>
public sealed class BarHandler(VerbContext context)
{
    private static readonly Option<FileInfo?> BarDb = new("--bar-db")
    {
        Description = "The local BAR's SQLite file. Default: the BAR named in the release definition if it exists, else .release/bar.db.",
        Recursive = true,
    };

    public static Command CreateCommand(Func<IServiceProvider> services)
    {
        var bar = new Command("bar", "Look at the BAR and fill the local one: channels, builds (Maestro BuildData JSON), channel assignments.") { BarDb };

        var name = new Argument<string>("name") { Description = "The channel's name, e.g. \"Source Validation\"." };
        var classification = new Option<string>("--classification") { Description = "The channel's classification.", DefaultValueFactory = _ => "release" };
        var addChannel = new Command("add-channel", "Create a channel in the local BAR (an existing one is left as is).") { name, classification };
        addChannel.SetAction((p, ct) => Run(services, new BarOptions("add-channel", p.GetValue(CommonOptions.Definition)!, p.GetValue(CommonOptions.Output), p.GetValue(BarDb), p.GetValue(name), p.GetValue(classification), null, null, null), ct));

        var file = new Argument<FileInfo>("build-data") { Description = "A JSON file in Maestro's BuildData shape (the body of POST /api/builds)." };
        var addBuild = new Command("add-build", "Register a build in the local BAR from a BuildData JSON file; prints the new build's id.") { file };
        addBuild.SetAction((p, ct) => Run(services, new BarOptions("add-build", p.GetValue(CommonOptions.Definition)!, p.GetValue(CommonOptions.Output), p.GetValue(BarDb), null, null, p.GetValue(file), null, null), ct));

        var id = new Argument<int>("id") { Description = "The build's BAR id.", CustomParser = r => OptionParsers.BuildId(r) ?? 0 };
        var getBuild = new Command("get-build", "Show a build with its assets, locations, channels and dependencies (Maestro's Build JSON with --output json).") { id, CommonOptions.BarUri };
        getBuild.SetAction((p, ct) => Run(services, new BarOptions("get-build", p.GetValue(CommonOptions.Definition)!, p.GetValue(CommonOptions.Output), p.GetValue(BarDb), null, null, null, p.GetValue(id), null, p.GetValue(CommonOptions.BarUri)), ct));

        var buildOption = new Option<int>("--build", "-b") { Description = "The build's BAR id.", Required = true, CustomParser = r => OptionParsers.BuildId(r) ?? 0 };
        var channelOption = new Option<string>("--channel", "-c") { Description = "The channel's name.", Required = true };
        var addToChannel = new Command("add-to-channel", "Assign a build to a channel (already there is fine).") { buildOption, channelOption };
        addToChannel.SetAction((p, ct) => Run(services, new BarOptions("add-to-channel", p.GetValue(CommonOptions.Definition)!, p.GetValue(CommonOptions.Output), p.GetValue(BarDb), null, null, null, p.GetValue(buildOption), p.GetValue(channelOption)), ct));

        var channels = new Command("channels", "List the BAR's channels (a quick check that release can reach and authenticate to the BAR).") { CommonOptions.BarUri };
        channels.SetAction((p, ct) => Run(services, new BarOptions("channels", p.GetValue(CommonOptions.Definition)!, p.GetValue(CommonOptions.Output), p.GetValue(BarDb), null, null, null, null, null, p.GetValue(CommonOptions.BarUri)), ct));

        bar.Add(addChannel);
        bar.Add(addBuild);
        bar.Add(getBuild);
        bar.Add(addToChannel);
        bar.Add(channels);
        return bar;
    }

    private static Task<int> Run(Func<IServiceProvider> services, BarOptions options, CancellationToken cancellationToken)
    {
        return services().GetRequiredService<BarHandler>().HandleAsync(options, cancellationToken);
    }

    public async Task<int> HandleAsync(BarOptions options, CancellationToken cancellationToken)
    {
        var console = context.Console;
        switch (options.Verb)
        {
            case "add-channel":
            {
                var channel = await LocalBar(options).AddChannelAsync(options.Name!, options.Classification!, cancellationToken).ConfigureAwait(false);
                Write(options, new ChannelJson { Id = channel.Id, Name = channel.Name, Classification = channel.Classification }, $"channel {channel.Id}: {channel.Name} ({channel.Classification})");
                return 0;
            }

            case "add-build":
            {
                var data = ReadBuildData(options.BuildData!);
                var build = await LocalBar(options).AddBuildAsync(data, cancellationToken).ConfigureAwait(false);
                Write(options, MaestroJson.ToJson(build), build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return 0;
            }

            case "get-build":
            {
                var registry = Registry(options);
                var build = await registry.GetRequiredBuildAsync(options.BuildId!.Value, cancellationToken).ConfigureAwait(false);
                if (options.Output == OutputFormat.Json)
                {
                    console.Out.WriteLine(JsonSerializer.Serialize(MaestroJson.ToJson(build), MaestroJson.Options));
                }
                else
                {
                    WriteBuild(build);
                }

                return 0;
            }

            case "add-to-channel":
            {
                var registry = LocalBar(options);
                var channel = await registry.GetRequiredChannelAsync(options.Channel!, cancellationToken).ConfigureAwait(false);
                var answer = await registry.AssignBuildToChannelAsync(options.BuildId!.Value, channel.Id, cancellationToken).ConfigureAwait(false);
                Write(options, new { buildId = options.BuildId, channel = channel.Name, answer.AlreadyAssigned, answer.Detail }, answer.Detail);
                return 0;
            }

            default:
            {
                var channels = await Registry(options).GetChannelsAsync(cancellationToken).ConfigureAwait(false);
                Write(
                    options,
                    channels.Select(c => new ChannelJson { Id = c.Id, Name = c.Name, Classification = c.Classification }).ToList(),
                    string.Join(Environment.NewLine, channels.Select(c => Printable.Escape($"{c.Id,4}  {c.Name}  ({c.Classification})"))));
                return 0;
            }
        }
    }

    /// <summary>The build as BAR describes it, one line per item, with control characters in BAR's text escaped.</summary>
    private void WriteBuild(BarBuild build)
    {
        var output = context.Console.Out;
        output.WriteLine(Printable.Escape($"build {build.Id}: {build.Repository} @ {build.Commit}"));
        output.WriteLine(Printable.Escape($"  number {build.AzureDevOpsBuildNumber}, produced {build.DateProduced:u}, released {build.Released.ToString().ToLowerInvariant()}, stable {build.Stable.ToString().ToLowerInvariant()}"));
        output.WriteLine(Printable.Escape($"  channels: {(build.Channels.Count == 0 ? "none" : string.Join(", ", build.Channels.Select(c => c.Name)))}"));
        output.WriteLine($"  dependencies: {(build.Dependencies.Count == 0 ? "none" : string.Join(", ", build.Dependencies.Select(d => $"{d.BuildId}{(d.IsProduct ? " (product)" : " (toolset)")}")))}");
        output.WriteLine($"  assets ({build.Assets.Count}):");
        foreach (var asset in build.Assets)
        {
            output.WriteLine(Printable.Escape($"    {asset.Name} {asset.Version}{(asset.NonShipping ? " (non-shipping)" : string.Empty)}  <- {string.Join(", ", asset.Locations.Select(l => $"{JsonNamingPolicy.CamelCase.ConvertName(l.Type.ToString())}: {l.Location}"))}"));
        }
    }

    private void Write<T>(BarOptions options, T json, string text)
    {
        if (options.Output == OutputFormat.Json)
        {
            context.Console.Out.WriteLine(JsonSerializer.Serialize(json, MaestroJson.Options));
        }
        else
        {
            context.Console.Out.WriteLine(text);
        }
    }

    // A file a person wrote: a key given twice is a mistake to report, not a value to pick silently.
    private static readonly JsonSerializerOptions BuildDataFileOptions = new(MaestroJson.Options) { AllowDuplicateProperties = false };

    private static BuildDataJson ReadBuildData(FileInfo file)
    {
        if (!file.Exists)
        {
            throw ReleaseException.Usage($"The BuildData file {file.FullName} does not exist.");
        }

        BuildDataJson? data;
        try
        {
            data = JsonSerializer.Deserialize<BuildDataJson>(File.ReadAllBytes(file.FullName), BuildDataFileOptions);
        }
        catch (JsonException ex)
        {
            throw ReleaseException.Usage($"{file.FullName}: not valid BuildData JSON at {ex.Path ?? "$"} (line {ex.LineNumber + 1}): {ex.Message}");
        }

        var errors = data is null ? ["$: the file is empty."] : BuildDataValidator.Validate(data);
        if (errors.Count > 0)
        {
            throw ReleaseException.Usage($"{file.FullName} is not valid BuildData:{Environment.NewLine}{string.Join(Environment.NewLine, errors.Select(e => "  $." + e))}");
        }

        return data!;
    }

    private IBuildAssetRegistry Registry(BarOptions options) => context.OpenBarToRead(options.Definition, options.BarDb, options.BarUri);

    private SqliteBuildAssetRegistry LocalBar(BarOptions options)
    {
        if (options.BarDb is not null)
        {
            return context.Environments.CreateLocalBar(options.BarDb.FullName);
        }

        if (options.Definition.Exists)
        {
            var definition = context.LoadDefinition(options.Definition);
            if (definition.Bar.Kind != Core.Definition.BarSettings.LocalKind)
            {
                throw ReleaseException.Usage($"`release bar {options.Verb}` edits a local BAR, but {definition.SourcePath} uses a {definition.Bar.Kind} BAR. Pass --bar-db <file> to edit a local one.");
            }

            return context.Environments.CreateLocalBar(definition.ResolvePath(definition.Bar.Path!));
        }

        return context.Environments.CreateLocalBar(Path.Combine(".release", "bar.db"));
    }
}
