using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReleaseCli.Core;

namespace ReleaseCli.Integrations;

/// <summary>Reads a service's JSON answer; a body that is empty or not the expected shape becomes the caller's "malformed" failure, naming the field.</summary>
public static class ServiceJson
{
    /// <param name="malformed">Makes the failure from the JSON path of the fault and what is wrong.</param>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, Func<string, string, ReleaseException> malformed, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(malformed);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(body, type, cancellationToken).ConfigureAwait(false)
                ?? throw malformed("$", "the answer is empty");
        }
        catch (JsonException ex)
        {
            throw malformed(ex.Path ?? "$", ex.Message);
        }
    }
}
