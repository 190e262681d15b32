namespace ReleaseCli.Core.Engine;

/// <summary>One pending step as the ring runner last saw it.</summary>
/// <param name="Ring">The ring it belongs to.</param>
/// <param name="Step">The step's id.</param>
/// <param name="Message">The step's own line (what it waits for).</param>
/// <param name="Legs">Its legs, each with its status; empty for a step without legs.</param>
/// <param name="Waited">How long the ring has waited for it so far.</param>
/// <param name="Settled">True on the last report: the step stopped being pending (or the wait gave up).</param>
public sealed record PendingStep(string Ring, string Step, string Message, IReadOnlyList<LegOutcome> Legs, TimeSpan Waited, bool Settled);
