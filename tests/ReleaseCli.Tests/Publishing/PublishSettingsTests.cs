using System.Text.Json;
using ReleaseCli.Rings.Publishing;

namespace ReleaseCli.Tests.Publishing;

public sealed class PublishSettingsTests
{
    private static Dictionary<string, string> Problems(ReleaseCli.Core.Engine.IRingStep step, string json)
    {
        using var settings = JsonDocument.Parse(json);
        return step.ValidateSettings(settings.RootElement).ToDictionary(f => f.Key, f => f.Message);
    }

    [Fact]
    public void The_sample_blob_publish_settings_are_valid()
    {
        Assert.Empty(Problems(new BlobPublishStep(null), """
            { "folder": "published/blob", "layout": "sample/{version}/{file}",
              "files": [ { "dropFiles": ["shipping/**"] }, { "artifacts": ["stage/metadata"], "layout": "meta/{path}" } ] }
            """));
    }

    [Fact]
    public void Blob_publish_names_each_wrong_setting_and_what_to_give()
    {
        var problems = Problems(new BlobPublishStep(null), """
            { "folder": "out", "account": "http://storage.example", "container": "Bad_Name", "sasVariable": "a secret!",
              "layout": "{version}/{name}", "files": [ { "artifacts": ["ship"] }, { } ], "parallelism": 0 }
            """);
        Assert.Contains("not both", problems["folder"]);
        Assert.Contains("lower-case", problems["container"]);
        Assert.Contains("must be https", problems["account"]);
        Assert.Contains("never the secret itself", problems["sasVariable"]);
        Assert.Contains("'{name}' is not a layout placeholder", problems["layout"]);
        Assert.Contains("\"<ring>/<step>\"", problems["files[0].artifacts"]);
        Assert.Contains("selects nothing", problems["files[1]"]);
        Assert.Contains("1 to 64", problems["parallelism"]);
    }

    [Fact]
    public void A_layout_without_file_or_path_would_put_every_file_in_one_place()
    {
        Assert.Contains("same name", PublishLayout.Problem("Runtime/{version}/latest"));
        Assert.Null(PublishLayout.Problem("Runtime/{version}/{file}"));
    }

    [Fact]
    public void Cdn_validate_takes_https_loopback_http_and_file_urls_only()
    {
        Assert.Empty(Problems(new CdnValidateStep(null!), """{ "baseUrl": "file:published/blob" }"""));
        Assert.Empty(Problems(new CdnValidateStep(null!), """{ "baseUrl": "http://127.0.0.1:10000/devstoreaccount1/releases" }"""));
        Assert.Contains("must be https", Problems(new CdnValidateStep(null!), """{ "baseUrl": "http://cdn.example/releases" }""")["baseUrl"]);
        Assert.Contains("public base URL", Problems(new CdnValidateStep(null!), "{}")["baseUrl"]);
    }

    [Fact]
    public void Symbols_publish_with_a_connection_string_needs_the_symbol_server_url()
    {
        Assert.Contains("symbol store is read through", Problems(new SymbolsPublishStep(null!, null), """{ "container": "symbols", "connectionStringVariable": "STORE" }""")["symbolServer"]);
        Assert.Empty(Problems(new SymbolsPublishStep(null!, null), """{ "folder": "published/symbols" }"""));
    }

    [Theory]
    [InlineData("a/b.tar.gz", "application/gzip")]
    [InlineData("b.ZIP", "application/zip")]
    [InlineData("1.0.0-sha.txt", "text/plain; charset=utf-8")]
    [InlineData("1.0.0.md", "text/plain; charset=utf-8")]
    [InlineData("releases.json", "application/json")]
    [InlineData("x.tar.gz.asc", "application/pgp-signature")]
    [InlineData("x.sig", "application/pgp-signature")]
    [InlineData("app.pdb", "application/octet-stream")]
    public void Content_types_follow_the_file_name(string name, string expected) => Assert.Equal(expected, PublishContentTypes.For(name));
}
