namespace Contoso.Sample.Core;

/// <summary>Formats the greetings shown by the Contoso sample product.</summary>
public static class Greeter
{
    /// <summary>Returns a greeting for <paramref name="name"/>.</summary>
    public static string Greet(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return $"Hello, {name.Trim()}!";
    }

    /// <summary>Returns one greeting per name, skipping blank entries.</summary>
    public static IReadOnlyList<string> GreetAll(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names.Where(n => !string.IsNullOrWhiteSpace(n)).Select(Greet).ToList();
    }
}
