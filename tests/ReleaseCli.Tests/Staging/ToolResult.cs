namespace ReleaseCli.Tests.Staging;

internal sealed record ToolResult(int ExitCode, string Output, string Error);
