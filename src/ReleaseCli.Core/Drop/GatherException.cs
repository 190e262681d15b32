namespace ReleaseCli.Core.Drop;

/// <summary>One asset could not be gathered; the message says from where and why.</summary>
public sealed class GatherException(string message) : Exception(message);
