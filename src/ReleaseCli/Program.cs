using System.Text;
using ReleaseCli.Core;
using ReleaseCli.Core.Security;
using ReleaseCli.Hosting;
using ReleaseCli.Output;

using var stop = StopSignals.Register();

// Redirected (a pipe or a file), stdout gets one writer with a large buffer: the console's own sends a document of
// megabytes (verify's SHA-512 of every file) a few hundred bytes a write. Each write still goes out as it is made.
var output = Console.IsOutputRedirected && Console.OutputEncoding.CodePage == Encoding.UTF8.CodePage
    ? TextWriter.Synchronized(new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { AutoFlush = true })
    : Console.Out;
var console = new CliConsole(output, Console.Error, !Console.IsOutputRedirected);
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
