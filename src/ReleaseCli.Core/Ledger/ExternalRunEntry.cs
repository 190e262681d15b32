namespace ReleaseCli.Core.Ledger;

/// <summary>
/// Something a step started outside the tool (an Azure DevOps run, a signing request, a local process):
/// its id there, a link people can open, and the leg it belongs to, if any.
/// </summary>
public sealed record ExternalRunEntry(string Id, string? Link = null, string? Leg = null);
