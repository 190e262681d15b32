using WireMock.Logging;
using WireMock.Server;

namespace ReleaseCli.Testing;

/// <summary>
/// WireMock logs a request only after its answer went out, so a client can act on the answer before the log has
/// it. Tests that count requests read the log once it has stopped growing.
/// </summary>
public static class WireMockLog
{
    public static IReadOnlyList<ILogEntry> Settled(this WireMockServer server)
    {
        var count = -1;
        for (var attempt = 0; attempt < 40 && server.LogEntries.Count() != count; attempt++)
        {
            count = server.LogEntries.Count();
            Thread.Sleep(25);
        }

        return [.. server.LogEntries];
    }
}
