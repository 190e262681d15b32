using System.Text;

namespace ReleaseCli.Rings.BuildValidation.Signing;

/// <summary>
/// The Authenticode signature of a PowerShell script (<c>.ps1</c>, <c>.psm1</c>, <c>.psd1</c>): a block of
/// comment lines after the script's text — <c># SIG # Begin signature block</c>, <c># &lt;base64&gt;</c> lines
/// of a PKCS#7 SignedData, <c># SIG # End signature block</c>. The signature covers the text before the
/// line break that opens the block, as UTF-16LE (a byte order mark at its start included).
/// </summary>
public sealed record ScriptSignature(byte[] Pkcs7, string SignedText, bool TextAfterBlock)
{
    private const string Begin = "# SIG # Begin signature block";
    private const string End = "# SIG # End signature block";

    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".ps1", ".psm1", ".psd1" };

    /// <summary>
    /// The signature block of <paramref name="file"/>; null with no problem when the script has none, null
    /// with the problem when its text or block cannot be read.
    /// </summary>
    public static ScriptSignature? Read(ReadOnlySpan<byte> file, out string? problem)
    {
        problem = null;
        if (Decode(file) is not { } text)
        {
            problem = "the script is neither UTF-8 nor UTF-16 (no byte order mark says otherwise), so the text its signature covers cannot be known";
            return null;
        }

        int begin;
        if (text.StartsWith(Begin, StringComparison.Ordinal))
        {
            begin = 0;
        }
        else if (text.IndexOf("\n" + Begin, StringComparison.Ordinal) is var at and >= 0)
        {
            begin = at + 1;
        }
        else
        {
            return null;
        }

        var signedEnd = begin;
        if (signedEnd > 0 && text[signedEnd - 1] == '\n')
        {
            signedEnd--;
            if (signedEnd > 0 && text[signedEnd - 1] == '\r')
            {
                signedEnd--;
            }
        }

        var lines = text[begin..].Split('\n');
        if (lines[0].TrimEnd('\r') != Begin)
        {
            problem = $"the line '{Begin}' has more on it";
            return null;
        }

        var base64 = new StringBuilder();
        var endLine = -1;
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line == End)
            {
                endLine = i;
                break;
            }

            if (!line.StartsWith("# ", StringComparison.Ordinal))
            {
                problem = $"line {i + 1} of the signature block is not a '# <base64>' comment";
                return null;
            }

            base64.Append(line.AsSpan(2));
        }

        if (endLine < 0)
        {
            problem = $"the signature block has no '{End}' line";
            return null;
        }

        byte[] pkcs7;
        try
        {
            pkcs7 = Convert.FromBase64String(base64.ToString());
        }
        catch (FormatException)
        {
            problem = "the signature block is not base64";
            return null;
        }

        // After the block only the line break that ends it may follow: nothing signs text there.
        var after = string.Join('\n', lines.Skip(endLine + 1));
        return new ScriptSignature(pkcs7, text[..signedEnd], after is not ("" or "\r" or "\n" or "\r\n"));
    }

    /// <summary>The bytes the signature's digest is of.</summary>
    public byte[] SignedBytes() => Encoding.Unicode.GetBytes(SignedText);

    /// <summary>The text with a byte order mark at its start kept as U+FEFF (the digest covers it).</summary>
    private static string? Decode(ReadOnlySpan<byte> file)
    {
        Encoding encoding = file switch
        {
            [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true),
            [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true),
            _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
        };
        try
        {
            return encoding.GetString(file);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
