using System.Runtime.InteropServices;
using ReleaseCli.Core;

namespace ReleaseCli.Hosting;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM: the first one cancels the verb's work, which stops where it is with everything
/// recorded so far kept, and decides the exit code (130 or 143, as a shell reports a process those signals end);
/// a second one ends the process at once.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _stoppedWith;

    /// <summary>The line a stopped verb ends with.</summary>
    public const string Message = "cancelled; everything recorded so far is kept; run the same command to resume";

    public CancellationToken Token => _cancellation.Token;

    public bool IsStopped => Volatile.Read(ref _stoppedWith) != 0;

    /// <summary>The exit code of the signal that stopped the verb (<see cref="ExitCode.Interrupted"/> until one has).</summary>
    public ExitCode ExitCode => IsStopped ? (ExitCode)Volatile.Read(ref _stoppedWith) : ExitCode.Interrupted;

    /// <summary>Listens for SIGINT and SIGTERM.</summary>
    public static StopSignals Register()
    {
        var signals = new StopSignals();
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => signals.OnSignal(context, ExitCode.Interrupted)));
        signals._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => signals.OnSignal(context, ExitCode.Terminated)));
        return signals;
    }

    /// <summary>Stops the verb as a signal would; returns false when it was already stopped.</summary>
    public bool Stop(ExitCode code)
    {
        if (Interlocked.CompareExchange(ref _stoppedWith, (int)code, 0) != 0)
        {
            return false;
        }

        _cancellation.Cancel();
        return true;
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context, ExitCode code) =>
        // Handled (no default termination) the first time only: a second signal is someone who will not wait.
        context.Cancel = Stop(code);
}
