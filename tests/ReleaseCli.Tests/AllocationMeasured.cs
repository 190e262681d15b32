namespace ReleaseCli.Tests;

/// <summary>Tests that measure this process's allocations: nothing else may run beside them.</summary>
[CollectionDefinition(nameof(AllocationMeasured), DisableParallelization = true)]
public sealed class AllocationMeasured;
