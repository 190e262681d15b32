namespace ReleaseCli.IntegrationTests.AzureDevOps;

/// <summary>A run the fake organization created: its id, the commit and template parameters it was queued with, and its result once completed.</summary>
public sealed record QueuedRun(int Id, string Commit, IReadOnlyDictionary<string, string> TemplateParameters, string? Result = null);
