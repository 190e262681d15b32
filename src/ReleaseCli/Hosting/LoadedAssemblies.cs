namespace ReleaseCli.Hosting;

/// <summary>
/// With <c>RELEASE_LIST_ASSEMBLIES=1</c>, one line on stderr at exit naming every assembly the verb loaded: what its
/// start-up cost is made of, and the way to see that a verb loads only what it uses (status no HTTP stack, no Azure).
/// </summary>
internal static class LoadedAssemblies
{
    public const string Variable = "RELEASE_LIST_ASSEMBLIES";

    public const string Prefix = "loaded assemblies";

    public static void ReportIfAsked(TextWriter error)
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            return;
        }

        var names = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "(unnamed)").Order(StringComparer.Ordinal).ToList();
        error.WriteLine($"{Prefix} ({names.Count}): {string.Join(' ', names)}");
    }
}
