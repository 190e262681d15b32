using System.Text.Json.Serialization;

namespace ReleaseCli.Rings.SourceValidation;

/// <summary>The levels of a SARIF 2.1.0 result, as its <c>level</c> property spells them.</summary>
public enum SarifLevel
{
    [JsonStringEnumMemberName("none")]
    None,

    [JsonStringEnumMemberName("note")]
    Note,

    [JsonStringEnumMemberName("warning")]
    Warning,

    [JsonStringEnumMemberName("error")]
    Error,
}
