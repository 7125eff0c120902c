using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace Outdial.Bench.Reads;

/// <summary>
/// `-- obi-reads [records] [--seconds N]`: the Sinch OBI customer page and a wildcard search (issue 20) under wrk beside
/// /health in the same run, on a real server process over a campaign of N records imported from the bench's CSV through
/// the API (externalIds C0 … C{N-1}). No dialer history: every customer is fresh, as after an OBI list upload.
/// </summary>
internal static class ObiReadsScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var records = args.Length > 1 && !args[1].StartsWith('-') ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var seconds = int.Parse(ReadsScenario.Arg(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var ct = CancellationToken.None;
        var work = Path.Combine(Path.GetTempPath(), "outdial-bench-obi-reads");
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        var settings = new Dictionary<string, string> { ["Outdial__Dialer"] = "false" };
        var csv = Path.Combine(work, "records.csv");
        var bytes = ImportHttpScenario.Generate(csv, records, priorities: true);

        await using var server = await BenchServer.StartAsync(Path.Combine(work, "data"), environment: settings);
        var campaign = await server.CreateCampaignAsync("obi-reads");
        var sw = Stopwatch.StartNew();
        var job = await server.ImportAsync(campaign, csv, () => { });
        Console.WriteLine($"imported {job.GetProperty("rowsCreated")} of {records:N0} rows ({bytes / 1e6:F1} MB CSV) through the API in {sw.Elapsed.TotalSeconds:F1} s: {job.GetProperty("state")}");
        using (var active = await server.Client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Active" }))
            active.EnsureSuccessStatusCode();

        var customers = $"/RI/obi/campaigns/{campaign}/customers";
        // C12* matches C12, C120 … C129, C1200 …: 1 + 10 + 100 + … customers, more than a page from 10,000 records up.
        (string Name, string Path)[] endpoints =
        [
            ("/health", "/health"),
            ("GET /RI/obi/campaigns/{id}", $"/RI/obi/campaigns/{campaign}"),
            ("GET /RI/obi/…/customers?limit=100", $"{customers}?limit=100"),
            ("GET /RI/obi/…/customers?externalId=C12*&limit=100", $"{customers}?externalId=C12*&limit=100"),
            ("GET /RI/obi/…/customers?externalId=*99&limit=100", $"{customers}?externalId=*99&limit=100"),
            ("GET /api/v1/…/records?limit=100 (native, for comparison)", $"/api/v1/campaigns/{campaign}/records?limit=100"),
        ];
        for (var i = 0; i < 60; i++)
            foreach (var (_, path) in endpoints) await ReadsScenario.GetAsync(server.Client, path);
        var jit = await BenchServer.WaitForJitIdleAsync(server.ProcessId);
        Console.WriteLine($"warm-up: 60 rounds of every endpoint, tiered compiler idle after {jit.TotalSeconds:F1} s more");

        Console.WriteLine();
        Console.WriteLine("| records | one request at a time | median of 11 | min | max | server CPU per request | bytes |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, path) in endpoints[1..])
        {
            var (times, size, cpu) = await ReadsScenario.TimeAsync(server, path, 11);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {records:N0} | {name} | {times[5]:F1} ms | {times[0]:F1} ms | {times[^1]:F1} ms | {cpu:F1} ms | {size:N0} |"));
        }

        Console.WriteLine();
        var wrkLog = Path.Combine(work, "wrk.log");
        await Wrk.RunAsync(server, seconds, endpoints, records, wrkLog, ct);
        Console.WriteLine($"wrk's output: {wrkLog}");
        return 0;
    }
}
