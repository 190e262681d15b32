using System.Text.RegularExpressions;

namespace ReleaseCli.Core.Drop;

/// <summary>What to gather and how hard to go at it.</summary>
public sealed record GatherOptions(bool IncludeNonShipping, int MaxDownloads, Regex? AssetFilter);
