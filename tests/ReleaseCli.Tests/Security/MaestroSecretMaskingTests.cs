using ReleaseCli.Core.Security;
using ReleaseCli.Hosting;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace ReleaseCli.Tests.Security;

/// <summary>How a Maestro token registered as a secret is kept out of text, logs and writers.</summary>
public sealed class MaestroSecretMaskingTests
{
    [Fact]
    public void Maestro_token_is_masked_in_text_also_when_json_escaped()
    {
        var masker = new SecretMasker();
        const string token = "abc+def/ghi<jkl>=";
        masker.Register(token);

        Assert.Equal("Bearer ***!", masker.Mask($"Bearer {token}!"));
        Assert.Equal("\"***\"", masker.Mask(System.Text.Json.JsonSerializer.Serialize(token)));
    }

    [Fact]
    public void Maestro_secret_containing_another_is_masked_whole_and_short_values_are_not_secrets()
    {
        var masker = new SecretMasker();
        masker.Register("token-1234");
        masker.Register("token-1234-extended");
        masker.Register("abc");

        Assert.Equal("*** and *** and abc", masker.Mask("token-1234-extended and token-1234 and abc"));
    }

    [Fact]
    public void Maestro_token_in_a_log_property_is_masked_in_the_json_log_and_in_a_masking_writer()
    {
        var masker = new SecretMasker();
        const string token = "secret-token-value-42";
        masker.Register(token);
        var template = new MessageTemplateParser().Parse("header {Authorization}");
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Debug, null, template, [new LogEventProperty("Authorization", new ScalarValue("Bearer " + token))]);
        using var log = new StringWriter();
        using var output = new StringWriter();

        new MaskingFormatter(new CompactJsonFormatter(), masker).Format(logEvent, log);
        using (var writer = new MaskingTextWriter(output, masker))
        {
            writer.WriteLine($"error: refused {token}");
        }

        Assert.Contains("Bearer ***", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, log.ToString(), StringComparison.Ordinal);
        Assert.Equal("error: refused ***", output.ToString().TrimEnd());
    }
}
