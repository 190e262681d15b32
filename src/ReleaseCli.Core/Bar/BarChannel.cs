namespace ReleaseCli.Core.Bar;

public sealed record BarChannel(int Id, string Name, string Classification);
