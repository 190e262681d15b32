namespace ReleaseCli.IntegrationTests.Infrastructure;

/// <summary>PowerShell 7.6.9, installed as a .NET tool into artifacts/tools/pwsh by eng/install-test-prerequisites.sh.</summary>
public static class PowerShellHost
{
    public static string Executable { get; } = Path.Combine(SampleProducts.RepositoryRoot, "artifacts", "tools", "pwsh", "pwsh");

    public static string ModuleSource { get; } = Path.Combine(SampleProducts.RepositoryRoot, "eng", "powershell");

    /// <summary>Runs <paramref name="script"/> (saved as a .ps1 in <paramref name="workingDirectory"/>) as <paramref name="actor"/>, with the module on PSModulePath.</summary>
    public static async Task<ExeResult> RunAsync(string workingDirectory, string actor, string script, IDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(Executable), $"PowerShell is not installed at {Executable}: run eng/install-test-prerequisites.sh");
        var modules = Path.Combine(workingDirectory, "ps-modules");
        var module = Path.Combine(modules, "Release");
        Directory.CreateDirectory(module);
        foreach (var file in new[] { "Release.psd1", "Release.psm1" })
        {
            File.Copy(Path.Combine(ModuleSource, file), Path.Combine(module, file), overwrite: true);
        }

        var path = Path.Combine(workingDirectory, $"script-{Guid.NewGuid():N}.ps1");
        await File.WriteAllTextAsync(path, script);
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["PSModulePath"] = modules,
            ["POWERSHELL_TELEMETRY_OPTOUT"] = "1",
            ["POWERSHELL_UPDATECHECK"] = "Off",
        };
        return await ReleaseExe.RunProgramAsync(Executable, ["-NoProfile", "-NonInteractive", "-File", path], workingDirectory, actor, variables);
    }
}
