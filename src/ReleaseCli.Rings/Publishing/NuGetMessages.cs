using NuGet.Common;

namespace ReleaseCli.Rings.Publishing;

/// <summary>
/// What NuGet.Protocol says while it pushes: its errors are kept, so a push that NuGet turned down without
/// throwing (an insecure source, a refused package) fails the publish with NuGet's own words.
/// </summary>
public sealed class NuGetMessages : LoggerBase
{
    private readonly List<string> _errors = [];

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public override void Log(ILogMessage message)
    {
        if (message.Level == LogLevel.Error)
        {
            lock (_errors)
            {
                _errors.Add(message.Code == NuGetLogCode.Undefined ? message.Message : $"{message.Code}: {message.Message}");
            }
        }
    }

    public override Task LogAsync(ILogMessage message)
    {
        Log(message);
        return Task.CompletedTask;
    }
}
