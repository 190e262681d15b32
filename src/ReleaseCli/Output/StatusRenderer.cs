using System.Runtime.CompilerServices;
using ReleaseCli.Core.Status;
using Spectre.Console;

namespace ReleaseCli.Output;

/// <summary>
/// Renders the status report: Spectre tables on a terminal, plain aligned lines otherwise. Text from the
/// ledger is shown with its control characters escaped (<see cref="Printable"/>): a ledger written before
/// comments had to be one line, or a step's message, cannot make one entry read as several.
/// </summary>
public sealed class StatusRenderer(CliConsole console)
{
    public void Render(ReleaseStatusReport report)
    {
        var output = console.Out;
        output.WriteLine(Printable.Escape($"release {report.Release}: {report.Product} {report.Version}"));
        output.WriteLine(Printable.Escape($"  build {(report.RootBuildId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not selected")}, contract {report.ContractDigest ?? "not sealed"}, {report.LedgerEvents} ledger event(s){(report.LedgerVerified == true ? ", chain verified" : string.Empty)}"));
        if (report.Checked is { Count: > 0 } checkedItems)
        {
            output.WriteLine(Printable.Escape($"  checked: {string.Join("; ", checkedItems)}"));
        }

        if (report.NotChecked is { Count: > 0 } notChecked)
        {
            output.WriteLine(Printable.Escape($"  not checked: {string.Join("; ", notChecked)}"));
        }

        if (report.Definition is { } definition)
        {
            output.WriteLine(Printable.Escape($"  definition {definition.Digest}: {definition.State}"));
            foreach (var change in definition.NotAccepted ?? [])
            {
                output.WriteLine(Printable.Escape($"    not accepted: {change}"));
            }

            foreach (var accepted in definition.Changes)
            {
                output.WriteLine(Printable.Escape($"  definition changed at event {accepted.Event}, accepted by {accepted.Actor} at {accepted.Time:u} ({accepted.Justification}): {string.Join("; ", accepted.Changes)}"));
            }
        }

        foreach (var ring in report.Rings)
        {
            output.WriteLine();
            RenderRing(ring);
        }
    }

    public void RenderRing(RingStatus ring)
    {
        var output = console.Out;
        output.WriteLine(Printable.Escape($"{ring.Ring}: {StateText.Of(ring.State)}  ('{ring.SourceChannel}' -> {(ring.TargetChannel is null ? "released" : $"'{ring.TargetChannel}'")})"));
        if (ring.LastRun is { } run)
        {
            output.WriteLine(Printable.Escape($"  last run {run.RunId} by {run.Actor} ({run.IdentityProvider}, {SignerRecord.Describe(run.Signer)}) at {run.Started:u}{(run.Outcome is null ? " — did not finish" : $" — {StateText.Of(run.Outcome.Value)}")}"));
        }

        if (ring.Entry is not null)
        {
            output.WriteLine(Printable.Escape($"  entry: {StateText.Of(ring.Entry.Status)}: {ring.Entry.Message}"));
        }

        var rows = new List<string[]>();
        foreach (var step in ring.Steps)
        {
            rows.Add(["step", step.Id, StateText.Of(step.Status, step.Overridden), step.Message ?? string.Empty]);
            rows.AddRange((step.External ?? []).Select(r => new[] { "  run", r.Leg is null ? r.Id : $"{r.Leg}: {r.Id}", $"{r.Started:u}", r.Link ?? string.Empty }));
            rows.AddRange((step.Publications ?? []).Select(p => new[] { "  target", p.Target, $"{p.Verified} verified", $"{p.Written} written, {p.AlreadyPresent} already there{(p.Unfinished == 0 ? string.Empty : $", {p.Unfinished} unfinished")}" }));
            rows.AddRange((step.Legs ?? []).Select(l => new[] { "  leg", l.Name, StateText.Of(l.Status, l.Overridden), $"{l.Message}{(l.Link is null ? string.Empty : $" ({l.Link})")}" }));
        }

        if (ring.Shards is { } shards)
        {
            rows.AddRange(shards.Reported.Select(s => new[] { "shard", $"{s.Shard}/{shards.Count}", s.Actor, $"{s.Time:u}: reported {s.Files} file(s) (event {s.Event})" }));
            rows.AddRange(shards.Missing.Select(i => new[] { "shard", $"{i}/{shards.Count}", "not reported", string.Empty }));
        }

        rows.AddRange((ring.Artifacts ?? []).Select(a => new[] { "artifact", a.Name, a.Step, $"{a.Size:N0} bytes, SHA-512 {a.Sha512[..16]}…" }));
        rows.AddRange(ring.Gates.Select(g => new[] { "gate", g.Id, StateText.Of(g.Status, g.Overridden), g.Message ?? string.Empty }));
        rows.AddRange(ring.Decisions.Select(d => new[] { StateText.Of(d.Decision), $"{d.Gate}{(d.Team is null ? string.Empty : $"/{d.Team}")}", $"{d.Actor} ({SignerRecord.Describe(d.Signer)})", $"{d.Time:u}{(d.BoundToCurrentContract ? string.Empty : " (earlier contract: no longer counts)")}{(string.IsNullOrEmpty(d.Comment) ? string.Empty : $": {d.Comment}")}" }));
        rows.AddRange(ring.Overrides.Select(o => new[] { "override", o.Target, $"{o.Actor} ({SignerRecord.Describe(o.Signer)})", $"{o.Time:u}: {o.Justification}{(o.BoundToCurrentContract ? string.Empty : " (earlier contract: no longer counts)")}{(o.Pending is null ? string.Empty : $" ({o.Pending})")}" }));
        if (ring.Promotion is { } promotion)
        {
            rows.Add(["promoted", promotion.Channel ?? "released", promotion.Actor, $"{promotion.Time:u}: {promotion.Message}"]);
        }

        rows = [.. rows.Select(r => r.Select(Printable.Escape).ToArray())];
        if (console.IsTerminal)
        {
            WriteTable(output, rows);
            return;
        }

        var widths = Enumerable.Range(0, 3).Select(i => rows.Count == 0 ? 0 : rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine($"  {row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2].PadRight(widths[2])}  {row[3]}".TrimEnd());
        }
    }

    /// <summary>A Spectre table, for a terminal. Kept out of <see cref="RenderRing"/> so that output to a pipe or a file never loads Spectre.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WriteTable(TextWriter output, List<string[]> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("", "name", "status / who", "detail");
        foreach (var row in rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        ansi.Write(table);
    }
}
