using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Outdial.Bench.Reads;

/// <summary>Requests/s of GETs under wrk (2 threads, 32 connections, loopback), one endpoint after another in the same run,
/// each also as a share of the trivial endpoint (the first).</summary>
internal static partial class Wrk
{
    /// <param name="log">wrk's own output of every run is appended here.</param>
    public static async Task RunAsync(BenchServer server, int seconds, IReadOnlyList<(string Name, string Path)> endpoints, int records, string log, CancellationToken ct)
    {
        if (!await InstalledAsync(ct))
        {
            Console.WriteLine("wrk is not installed (apt-get install -y wrk): requests/s skipped");
            return;
        }
        Console.WriteLine($"| records | endpoint (wrk -t2 -c32 -d{seconds}s) | requests/s | % of /health | mean latency | non-2xx | timeouts (2 s) |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        double? baseline = null;
        foreach (var (name, path) in endpoints)
        {
            // Requests still in flight when the previous run stopped would be served during this one.
            var settled = await server.WaitIdleAsync(TimeSpan.FromMinutes(3));
            var output = await RunWrkAsync(["-t2", "-c32", $"-d{seconds}s", "-H", $"Authorization: Bearer {BenchServer.Key}", server.Url + path], ct);
            await File.AppendAllTextAsync(log, $"== {name} (server idle before: {settled})\n{output}\n", ct);
            var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
            var latency = Latency().Match(output) is { Success: true } m ? m.Groups[1].Value : "?";
            var errors = NonSuccess().Match(output) is { Success: true } e ? e.Groups[1].Value : "0";
            // Timed-out requests count in neither requests/s nor the latency (wrk's mean is then of the others only).
            var timeouts = Timeouts().Match(output) is { Success: true } t ? t.Groups[1].Value : "0";
            baseline ??= rps;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {records:N0} | {name} | {rps:N0} | {rps / baseline.Value * 100:F0} % | {latency} | {errors} | {timeouts} |"));
        }
    }

    private static async Task<bool> InstalledAsync(CancellationToken ct)
    {
        try
        {
            await RunWrkAsync(["--version"], ct);
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task<string> RunWrkAsync(IEnumerable<string> arguments, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return output;
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Latency\s+(\S+)")]
    private static partial Regex Latency();

    [GeneratedRegex(@"Socket errors:.*timeout (\d+)")]
    private static partial Regex Timeouts();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();
}
