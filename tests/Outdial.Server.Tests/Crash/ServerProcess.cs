using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Outdial.Server.Tests.Crash;

/// <summary>The real server binary as a child process, so it can be killed with SIGKILL mid-write.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    public HttpClient Client { get; }

    private ServerProcess(Process process, HttpClient client)
    {
        _process = process;
        Client = client;
    }

    public static async Task<ServerProcess> StartAsync(string dataDir, string key)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "outdial.dll")}\" serve --urls {url}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["Outdial__DataDir"] = dataDir, ["OUTDIAL_BOOTSTRAP_KEY"] = key, ["Logging__LogLevel__Default"] = "Warning" },
        };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK) break;
            }
            catch (HttpRequestException) when (started.Elapsed < TimeSpan.FromSeconds(60) && !process.HasExited)
            {
            }
            await Task.Delay(50);
        }
        return new ServerProcess(process, client);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what is not committed is lost.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops the server; waits for the process to exit by itself.</summary>
    public async Task<bool> StopGracefullyAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        Client.Dispose();
    }
}
