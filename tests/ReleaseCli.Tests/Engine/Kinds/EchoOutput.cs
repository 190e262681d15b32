namespace ReleaseCli.Tests.Engine.Kinds;

/// <summary>The typed output of an <c>echo</c> step.</summary>
public sealed record EchoOutput(string Text, int Runs);
