using System.Text.Json;

namespace ReleaseCli.Core.Ledger;

/// <summary>
/// The names the ledger writes for its enums, the members' own names (as <c>JsonStringEnumConverter</c> wrote them
/// before, so the signed bytes stay the same). Reading accepts exactly these names: a number, another casing or a
/// name this version does not know is refused, as no version of the tool wrote one. The tables are indexed by the
/// enum's value; a test checks them against the enums, so a member added without its name fails the build's tests.
/// </summary>
internal static class LedgerNames
{
    private static readonly string[] EventTypes =
    [
        nameof(LedgerEventType.CandidateSelected),
        nameof(LedgerEventType.RunStarted),
        nameof(LedgerEventType.EntryChecked),
        nameof(LedgerEventType.StepStarted),
        nameof(LedgerEventType.ExternalRunStarted),
        nameof(LedgerEventType.ArtifactRecorded),
        nameof(LedgerEventType.PublishIntended),
        nameof(LedgerEventType.Published),
        nameof(LedgerEventType.PublishVerified),
        nameof(LedgerEventType.StepCompleted),
        nameof(LedgerEventType.ContractSealed),
        nameof(LedgerEventType.GateEvaluated),
        nameof(LedgerEventType.Approved),
        nameof(LedgerEventType.Rejected),
        nameof(LedgerEventType.Overridden),
        nameof(LedgerEventType.Promoting),
        nameof(LedgerEventType.Promoted),
        nameof(LedgerEventType.Released),
        nameof(LedgerEventType.RunCompleted),
        nameof(LedgerEventType.DefinitionAccepted),
        nameof(LedgerEventType.ShardReported),
    ];

    private static readonly string[] Statuses =
    [
        nameof(LedgerStatus.Succeeded),
        nameof(LedgerStatus.Failed),
        nameof(LedgerStatus.Pending),
        nameof(LedgerStatus.NotConfigured),
        nameof(LedgerStatus.Reused),
        nameof(LedgerStatus.Blocked),
        nameof(LedgerStatus.Defect),
        nameof(LedgerStatus.Passed),
        nameof(LedgerStatus.Overridden),
        nameof(LedgerStatus.Success),
        nameof(LedgerStatus.UsageError),
        nameof(LedgerStatus.Locked),
        nameof(LedgerStatus.IntegrityViolation),
        nameof(LedgerStatus.Cancelled),
    ];

    private static readonly string[] Outcomes =
    [
        nameof(PublicationOutcome.Written),
        nameof(PublicationOutcome.AlreadyPresent),
        nameof(PublicationOutcome.Verified),
    ];

    public static string Of(LedgerEventType type) => Name(EventTypes, (int)type, nameof(LedgerEventType));

    public static string Of(LedgerStatus status) => Name(Statuses, (int)status, nameof(LedgerStatus));

    public static string Of(PublicationOutcome outcome) => Name(Outcomes, (int)outcome, nameof(PublicationOutcome));

    /// <summary>Reads an event type, the string token the reader is on; <paramref name="property"/> names it in the error.</summary>
    public static LedgerEventType ReadEventType(ref Utf8JsonReader reader, string property) =>
        (LedgerEventType)Index(EventTypes, ref reader, property, "an event type");

    public static LedgerStatus ReadStatus(ref Utf8JsonReader reader, string property) =>
        (LedgerStatus)Index(Statuses, ref reader, property, "a status");

    public static PublicationOutcome ReadOutcome(ref Utf8JsonReader reader, string property) =>
        (PublicationOutcome)Index(Outcomes, ref reader, property, "a publication outcome");

    private static string Name(string[] names, int value, string enumName) =>
        (uint)value < (uint)names.Length
            ? names[value]
            : throw new InvalidOperationException($"{value} is not a {enumName} the ledger can write (its name is missing from {nameof(LedgerNames)}).");

    private static int Index(string[] names, ref Utf8JsonReader reader, string property, string what)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"'{property}' must be {what} written as a string (one of {string.Join(", ", names)}), not {reader.TokenType}.");
        }

        var text = reader.GetString()!;
        var index = Array.IndexOf(names, text);
        return index >= 0
            ? index
            : throw new JsonException($"'{property}' holds '{text}', which is not {what} this version of the tool writes (one of {string.Join(", ", names)}).");
    }
}
