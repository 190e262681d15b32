using ReleaseCli.Core;
using ReleaseCli.Core.Definition;
using ReleaseCli.Core.Drop;
using ReleaseCli.Core.Engine;
using ReleaseCli.Core.Gates;
using ReleaseCli.Rings.Prep;

namespace ReleaseCli.Tests.Definition;

/// <summary>$.store: a local folder or a blob container, and the --store option that replaces it.</summary>
public sealed class StoreDefinitionTests
{
    private static readonly ReleaseDefinitionLoader Loader = new(new StepCatalog([new GatherDropStep(Array.Empty<IAssetSource>())]), new GateCatalog(BuiltInGates.All));

    private static ReleaseDefinition Load(string store) => Loader.Parse(ReleaseDefinitionLoaderTests.Valid(extraTop: $"\"store\": {store},"), "/tmp/defs/release.json");

    private static IReadOnlyList<string> Errors(string store) =>
        Assert.Throws<DefinitionException>(() => Load(store)).Errors;

    [Fact]
    public void A_blob_store_names_its_container_and_the_variables_of_its_credential()
    {
        var store = Load("""{ "kind": "azure-blob", "container": "https://contoso.blob.core.windows.net/releases/net", "sasVariable": "RELEASE_STORE_SAS" }""").Store;

        Assert.Equal(StoreSettings.AzureBlobKind, store.Kind);
        Assert.Equal("https://contoso.blob.core.windows.net/releases/net", store.Container);
        Assert.Equal("RELEASE_STORE_SAS", store.SasVariable);
        Assert.Equal(".release", store.Path);
    }

    [Theory]
    [InlineData("""{ "kind": "azure-blob" }""", "$.store.container: is required")]
    [InlineData("""{ "kind": "azure-blob", "container": "https://contoso.blob.core.windows.net/releases?sv=2025&sig=abc" }""", "a token never goes in the definition")]
    [InlineData("""{ "kind": "azure-blob", "container": "http://contoso.blob.core.windows.net/releases" }""", "must be https")]
    [InlineData("""{ "kind": "azure-blob", "container": "https://contoso.blob.core.windows.net/" }""", "names no container")]
    [InlineData("""{ "kind": "azure-blob", "container": "https://contoso.blob.core.windows.net/r", "sasVariable": "A", "connectionStringVariable": "B" }""", "not both")]
    [InlineData("""{ "kind": "azure-blob", "container": "https://contoso.blob.core.windows.net/r", "connectionStringVariable": "DefaultEndpointsProtocol=https;AccountKey=x" }""", "is not an environment variable's name")]
    [InlineData("""{ "kind": "s3" }""", "use \"local\" (a folder) or \"azure-blob\"")]
    [InlineData("""{ "kind": "local", "container": "https://contoso.blob.core.windows.net/r" }""", "$.store.container")]
    public void A_store_that_cannot_work_is_refused_naming_the_field(string store, string expected)
    {
        Assert.Contains(Errors(store), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_store_option_turns_a_local_store_into_a_blob_store_and_back()
    {
        var local = new StoreSettings(StoreSettings.LocalKind, ".release");
        var blob = local.WithLocation("http://127.0.0.1:10000/devstoreaccount1/releases");
        Assert.Equal(StoreSettings.AzureBlobKind, blob.Kind);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/releases", blob.Container);
        Assert.Equal(".release", blob.Path);

        var folder = blob.WithLocation("some/folder");
        Assert.Equal(StoreSettings.LocalKind, folder.Kind);
        Assert.Equal(Path.GetFullPath("some/folder"), folder.Path);

        var error = Assert.Throws<ReleaseException>(() => local.WithLocation("https://contoso.blob.core.windows.net/r?sig=secret"));
        Assert.Equal(ExitCode.UsageError, error.ExitCode);
        Assert.StartsWith("--store:", error.Message, StringComparison.Ordinal);
    }
}
