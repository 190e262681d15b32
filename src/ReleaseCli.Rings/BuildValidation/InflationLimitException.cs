namespace ReleaseCli.Rings.BuildValidation;

/// <summary>A drop file inflated past its <see cref="InflationBudget"/>.</summary>
internal sealed class InflationLimitException(string virtualPath, long limit)
    : Exception($"inflating '{virtualPath}' took the file past {limit:N0} bytes");
