namespace ReleaseCli.Core.Bar;

/// <summary>What BAR answered to a channel assignment, recorded in the ledger as is.</summary>
public sealed record PromotionAnswer(bool AlreadyAssigned, string Detail);
