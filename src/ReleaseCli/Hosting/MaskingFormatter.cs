using ReleaseCli.Core.Security;
using Serilog.Events;
using Serilog.Formatting;

namespace ReleaseCli.Hosting;

/// <summary>Formats a log event with the inner formatter, then masks every registered secret in the text.</summary>
public sealed class MaskingFormatter(ITextFormatter inner, SecretMasker masker) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        inner.Format(logEvent, buffer);
        output.Write(masker.Mask(buffer.ToString()));
    }
}
