using ReleaseCli.Core;
using ReleaseCli.Core.Security;
using ReleaseCli.Hosting;
using ReleaseCli.Output;

using var stop = StopSignals.Register();

var console = new CliConsole(Console.Out, Console.Error, !Console.IsOutputRedirected);
var masker = new SecretMasker();
try
{
    return await ReleaseApp.RunAsync(args, console, masker, stop);
}
catch (Exception ex) when (OutOfMemory.IsCause(ex))
{
    await Console.Error.WriteLineAsync($"error: release ran out of memory: {OutOfMemory.Advice}. What the ledger recorded stays; run the verb again to go on.");
    return 1;
}
catch (Exception ex) when (DiskFull.IsCause(ex))
{
    await Console.Error.WriteLineAsync(masker.Mask($"error: the disk is full: {ex.Message}. Free space on that file system (or write somewhere else) and run the verb again; nothing already recorded is lost."));
    return 1;
}
catch (Exception ex)
{
    // Only here is the unexpected caught: report it as a bug with its detail, never silently (and never with a secret).
    await Console.Error.WriteLineAsync(masker.Mask($"error: unexpected failure (a bug in release; please report it with this text): {ex}"));
    return 1;
}
finally
{
    LoadedAssemblies.ReportIfAsked(Console.Error);
}
