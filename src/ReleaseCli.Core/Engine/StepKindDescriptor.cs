namespace ReleaseCli.Core.Engine;

/// <summary>
/// A step kind as the catalogue lists it before anything is built: its name, one line for help, the rings it
/// may be used in (null: any), whether it publishes, and how to make it from the services.
/// </summary>
public sealed record StepKindDescriptor(string Kind, string Summary, IReadOnlyCollection<string>? Rings, Func<IServiceProvider, IRingStep> Create)
{
    public bool Publishes { get; init; }
}
