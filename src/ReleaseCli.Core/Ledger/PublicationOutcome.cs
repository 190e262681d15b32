using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Ledger;

/// <summary>How an item of a publish step ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PublicationOutcome>))]
public enum PublicationOutcome
{
    /// <summary>The step wrote it to the target.</summary>
    Written,

    /// <summary>The target already held the same content (an earlier run wrote it, or someone else did): not written again.</summary>
    AlreadyPresent,

    /// <summary>Read back from the target, it holds exactly the recorded content.</summary>
    Verified,
}
