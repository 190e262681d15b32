using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ReleaseCli.Core.Engine;
using ReleaseCli.Hosting;
using ReleaseCli.Integrations.Http;
using ReleaseCli.Output;
using ReleaseCli.Rings;
using ReleaseCli.Rings.Commands;

namespace ReleaseCli.Tests.Hosting;

/// <summary>
/// What the executable registers is made when used, not when registered: the steps a definition names, and the
/// HTTP clients when the first request is about to be sent.
/// </summary>
public sealed class LazyRegistrationTests
{
    private static ServiceProvider Services() => new ServiceCollection()
        .AddSingleton(new ReleaseCli.Core.Security.SecretMasker())
        .AddLogging()
        .AddReleaseCli(new CliConsole(TextWriter.Null, TextWriter.Null, false))
        .BuildServiceProvider();

    [Fact]
    public void The_catalogue_makes_a_step_only_when_its_kind_is_used()
    {
        using var services = Services();
        var made = new List<string>();
        var kinds = RingsServiceCollectionExtensions.StepKinds.Select(k => k with { Create = sp => { made.Add(k.Kind); return k.Create(sp); } });
        var catalog = new StepCatalog(kinds, services);

        Assert.Contains(CommandStep.Descriptor.Kind, catalog.Kinds);
        Assert.True(catalog.Publishes(ReleaseCli.Rings.Publishing.BlobPublishStep.StepKind));
        Assert.Equal([ReleaseCli.Core.Definition.RingName.Prep], catalog.RingsOf(ReleaseCli.Rings.Prep.GatherDropStep.StepKind));
        Assert.Empty(made);

        using var settings = JsonDocument.Parse("""{ "command": ["true"] }""");
        Assert.Empty(catalog.ValidateSettings(CommandStep.Descriptor.Kind, settings.RootElement));
        Assert.Same(catalog.Get(CommandStep.Descriptor.Kind), catalog.Get(CommandStep.Descriptor.Kind));
        Assert.Equal([CommandStep.Descriptor.Kind], made);
    }

    [Fact]
    public void Resolving_what_holds_the_http_client_factory_builds_no_client_until_one_is_asked_for()
    {
        using var services = Services();
        var registrations = services.GetRequiredService<DeferredHttpClientRegistrations>();
        var asked = 0;
        registrations.Add((_, _) => asked++);

        // Everything the executable registers, made: the step catalogue with every step, the Maestro client's factory.
        Assert.NotEmpty(services.GetRequiredService<StepCatalog>().All);
        _ = services.GetRequiredService<ReleaseCli.Integrations.Bar.MaestroRegistryFactory>();
        Assert.Equal(0, asked);

        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient(ReleaseCli.Integrations.Bar.MaestroRegistryFactory.HttpClientName);
        using var again = services.GetRequiredService<IHttpClientFactory>().CreateClient(ReleaseCli.Integrations.Bar.MaestroRegistryFactory.HttpClientName);
        Assert.Equal(1, asked);
    }
}
