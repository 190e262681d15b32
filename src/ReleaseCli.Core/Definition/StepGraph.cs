namespace ReleaseCli.Core.Definition;

/// <summary>Graph helpers over a ring's steps and their <c>dependsOn</c> edges.</summary>
public static class StepGraph
{
    /// <summary>A dependency cycle as a path of step ids (first id repeated at the end), or null.</summary>
    public static IReadOnlyList<string>? FindCycle(IReadOnlyList<StepDefinition> steps)
    {
        var byId = steps.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
        var state = new Dictionary<string, int>(); // 1 = on the current path, 2 = done
        var path = new Stack<string>();

        IReadOnlyList<string>? Visit(string id)
        {
            state[id] = 1;
            path.Push(id);
            foreach (var next in byId[id].DependsOn.Where(byId.ContainsKey))
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    var cycle = path.Reverse().SkipWhile(s => s != next).ToList();
                    cycle.Add(next);
                    return cycle;
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.Pop();
            state[id] = 2;
            return null;
        }

        foreach (var id in byId.Keys)
        {
            if (state.GetValueOrDefault(id) == 0 && Visit(id) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }
}
