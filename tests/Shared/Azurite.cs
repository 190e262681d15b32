using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ReleaseCli.Testing;

/// <summary>
/// A real Azurite blob service (installed by eng/install-test-prerequisites.sh into artifacts/tools),
/// started on a free loopback port with its data in a temporary folder, and killed by its own process id.
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    // Azurite's documented development account; it only ever guards a throwaway local emulator.
    public const string Account = "devstoreaccount1";
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "release-azurite-" + Guid.NewGuid().ToString("N")[..8]);
    private Process? _process;

    public int Port { get; private set; }

    /// <summary>The account's blob endpoint, path-style: http://127.0.0.1:port/devstoreaccount1.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/{Account}";

    public string ConnectionString => $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={DevelopmentKey};BlobEndpoint={Endpoint};";

    public static string Executable => Path.Combine(RepositoryRoot(), "artifacts", "tools", "node_modules", ".bin", "azurite-blob");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {Executable}; run eng/install-test-prerequisites.sh first.");
        }

        Directory.CreateDirectory(_data);
        Port = FreePort();
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--location", _data, "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        using var http = new HttpClient();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"{Endpoint}?comp=list");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(200);
            }
        }
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // Azurite may ignore SIGTERM; SIGKILL by its own id.
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>A container (created if needed) that anonymous readers may read blobs from, or a private one.</summary>
    public async Task<BlobContainerClient> ContainerAsync(string name, bool anonymousRead = true)
    {
        var container = new BlobServiceClient(ConnectionString).GetBlobContainerClient(name);
        await container.CreateIfNotExistsAsync(anonymousRead ? PublicAccessType.Blob : PublicAccessType.None);
        return container;
    }

    public string ContainerUrl(string name) => $"{Endpoint}/{name}";

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReleaseCli.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find ReleaseCli.sln above the test folder.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<Azurite>
{
    public const string Name = "azurite";
}
