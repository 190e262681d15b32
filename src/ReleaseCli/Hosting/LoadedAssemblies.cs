namespace ReleaseCli.Hosting;

/// <summary>
/// With <c>RELEASE_LIST_ASSEMBLIES=1</c>, one line on stderr at exit naming every assembly the verb loaded, with the count of methods the JIT compiled and its time: what its
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
        var jit = System.Runtime.JitInfo.GetCompilationTime(currentThread: false);
        error.WriteLine($"{Prefix} ({names.Count}; {System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false)} methods compiled in {jit.TotalMilliseconds:F0} ms): {string.Join(' ', names)}");
    }
}
