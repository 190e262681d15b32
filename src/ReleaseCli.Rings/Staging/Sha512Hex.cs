using ReleaseCli.Core;

namespace ReleaseCli.Rings.Staging;

/// <summary>Checks and normalises a SHA-512 given as hex, the form the contract and the published files carry.</summary>
internal static class Sha512Hex
{
    private const int HexLength = 128;

    /// <summary>Returns the hash in lower case; throws naming <paramref name="owner"/> when it is not 128 hex digits.</summary>
    public static string Normalize(string sha512, string owner)
    {
        if (sha512 is null || sha512.Length != HexLength || !sha512.All(char.IsAsciiHexDigit))
        {
            throw ReleaseException.Usage(
                $"The SHA-512 of '{owner}' must be {HexLength} hex digits; got '{sha512}'.");
        }

        return sha512.ToLowerInvariant();
    }
}
