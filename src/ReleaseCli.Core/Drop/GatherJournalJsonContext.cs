using System.Text.Json.Serialization;

namespace ReleaseCli.Core.Drop;

/// <summary>
/// The gather journal's lines, generated at build time: a line is written for every file gathered (tens of thousands
/// in a large release) and read back for every file on a re-run. The default options, which the journal has always
/// been written with, so journals written before read the same.
/// </summary>
[JsonSerializable(typeof(GatherJournalEntry))]
[JsonSerializable(typeof(GatherJournalIntent))]
internal sealed partial class GatherJournalJsonContext : JsonSerializerContext;
