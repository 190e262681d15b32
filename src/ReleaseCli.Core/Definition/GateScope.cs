namespace ReleaseCli.Core.Definition;

/// <summary>What a gate kind may look at when it checks its definition: its ring and how many people a list names.</summary>
/// <param name="Ring">The ring the gate is in.</param>
/// <param name="StepCount">How many steps that ring has.</param>
/// <param name="CountPeople">How many distinct people a list of people and <c>group:</c> references names.</param>
public sealed record GateScope(string Ring, int StepCount, Func<IEnumerable<string>, int> CountPeople);
