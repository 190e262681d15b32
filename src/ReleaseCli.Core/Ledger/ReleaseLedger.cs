using ReleaseCli.Core.Trust;

namespace ReleaseCli.Core.Ledger;

/// <summary>The verified events of one release, in order.</summary>
public sealed class ReleaseLedger
{
    private ReleaseLedger(IReadOnlyList<LedgerEvent> events, LedgerHead? head, bool headVerified)
    {
        Events = events;
        Head = head;
        HeadVerified = headVerified;
    }

    public IReadOnlyList<LedgerEvent> Events { get; }

    /// <summary>The head the events were checked against (null before the first line's head was written).</summary>
    public LedgerHead? Head { get; }

    /// <summary>Whether the head's signature was checked against the allowed signers.</summary>
    public bool HeadVerified { get; }

    public string HeadHash => Events.Count == 0 ? LedgerSerializer.GenesisHash : Events[^1].Hash;

    /// <summary>
    /// Walks the chain: every line's own hash, its sequence number and its link to the line before,
    /// then the recorded head (so a truncated tail is caught too). With <paramref name="trust"/>, every signature
    /// is checked against the allowed signers too (the head's included), and an unsigned decision, run or head where
    /// signatures are required is refused, and the first line must name the trust's release and product. Throws naming the
    /// first bad line, or the head.
    /// </summary>
    public static ReleaseLedger Verify(string ledgerPath, IReadOnlyList<string> lines, LedgerHead? head, LedgerTrust? trust = null)
    {
        var events = new List<LedgerEvent>(lines.Count);
        var previous = LedgerSerializer.GenesisHash;
        for (var i = 0; i < lines.Count; i++)
        {
            var number = i + 1;
            var entry = LedgerSerializer.TryParse(lines[i], out var problem)
                ?? throw new LedgerIntegrityException(ledgerPath, number, problem!);
            if (entry.Seq != number)
            {
                throw new LedgerIntegrityException(ledgerPath, number, $"its sequence number is {entry.Seq}, expected {number} (a line was removed, inserted or reordered)");
            }

            if (!string.Equals(entry.Prev, previous, StringComparison.Ordinal))
            {
                throw new LedgerIntegrityException(ledgerPath, number, $"it does not follow line {number - 1} (the chain link differs: a line before it was changed, removed or reordered)");
            }

            var verified = trust?.Check(ledgerPath, number, lines[i], entry) ?? false;
            events.Add(entry with { Verified = verified });
            previous = entry.Hash;
        }

        if (trust is not null && events.Count > 0)
        {
            trust.CheckBinding(ledgerPath, events[0]);
        }

        CheckHead(ledgerPath, events, head);
        var headVerified = trust is not null && head is not null
            && trust.CheckHead(LedgerSerializer.HeadPathBeside(ledgerPath), head, events[head.Seq - 1]);
        return new ReleaseLedger(events, head, headVerified);
    }

    /// <summary>
    /// The head must record the last line exactly. The writer replaces the ledger file and then its head, so
    /// the one state a kill can leave between the two is the head one line behind (for the first line: no
    /// head yet); every other shape was made by hand.
    /// </summary>
    private static void CheckHead(string ledgerPath, List<LedgerEvent> events, LedgerHead? head)
    {
        var count = events.Count;
        if (head is null)
        {
            if (count > 1)
            {
                throw new LedgerIntegrityException(ledgerPath, count, "the ledger's head record is missing (it was deleted or the ledger was copied without it)");
            }

            return;
        }

        if (head.Seq <= 0)
        {
            throw new LedgerIntegrityException(ledgerPath, 1, $"its head records line {head.Seq}, but the tool only records a line it wrote (1 or more): the head was edited");
        }

        if (head.Seq > count)
        {
            throw new LedgerIntegrityException(ledgerPath, count + 1, $"the ledger ends at line {count} but its head records line {head.Seq} (lines were removed from the end)");
        }

        if (head.Seq < count - 1)
        {
            throw new LedgerIntegrityException(ledgerPath, head.Seq + 1, $"lines {head.Seq + 1} to {count} were appended after the head (line {head.Seq}) without the tool, which never writes more than one line past its head");
        }

        if (!string.Equals(events[head.Seq - 1].Hash, head.Hash, StringComparison.Ordinal))
        {
            throw new LedgerIntegrityException(ledgerPath, head.Seq, "it differs from the line the head recorded (the ledger was rewritten)");
        }
    }

    internal ReleaseLedger With(LedgerEvent entry, LedgerHead head) => new([.. Events, entry], head, head.Signature is not null);
}
