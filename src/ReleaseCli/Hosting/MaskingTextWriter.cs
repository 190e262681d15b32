using System.Text;
using ReleaseCli.Core.Security;

namespace ReleaseCli.Hosting;

/// <summary>
/// stdout and stderr as the verbs see them: every string written is masked first, so no result,
/// JSON document or error message can show a registered secret.
/// </summary>
public sealed class MaskingTextWriter(TextWriter inner, SecretMasker masker) : TextWriter
{
    public override Encoding Encoding => inner.Encoding;

    public override IFormatProvider FormatProvider => inner.FormatProvider;

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value) => inner.Write(value is null ? null : masker.Mask(value));

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value) => inner.WriteLine(value is null ? null : masker.Mask(value));

    public override void WriteLine() => inner.WriteLine();

    public override Task WriteAsync(string? value) => inner.WriteAsync(value is null ? null : masker.Mask(value));

    public override Task WriteLineAsync(string? value) => inner.WriteLineAsync(value is null ? null : masker.Mask(value));

    public override void Flush() => inner.Flush();

    public override Task FlushAsync() => inner.FlushAsync();
}
