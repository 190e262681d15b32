using ReleaseCli.Core.Contract;

namespace ReleaseCli.Rings.BuildValidation;

/// <summary>One top-level file to validate: its full path, how findings name it, and its contract asset inside a release.</summary>
public sealed record ValidationInput(string FullPath, string DisplayPath, ContractAsset? Asset = null, ContractBuild? Build = null);
