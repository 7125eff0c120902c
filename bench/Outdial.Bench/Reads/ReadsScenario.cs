using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Outdial.Bench.Reads;

/// <summary>
/// `-- reads [records] [--seconds N] [--in-call N] [--port N]`: the read paths dialect clients hammer (issue 19), on a real server
/// process over a campaign of N records imported from the bench's messy CSV through the API, with a dialer's history
/// (<see cref="AttemptHistory"/>). Reports a full export by cursor (1000-record pages), the time of a 1000-record page
/// at the start, middle and end of the campaign, and requests/s under wrk for /health and the authenticated GETs.
/// </summary>
internal static class ReadsScenario
{
    private const int PageSize = 1000;
    private const int Repeats = 21;

    public static async Task<int> RunAsync(string[] args)
    {
        var records = args.Length > 1 && !args[1].StartsWith('-') ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var seconds = int.Parse(Arg(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var inCall = int.Parse(Arg(args, "--in-call", "20"), CultureInfo.InvariantCulture);
        // Another port (and a work directory of its own) lets two runs share a machine.
        var port = int.Parse(Arg(args, "--port", "5391"), CultureInfo.InvariantCulture);
        var baseUrl = $"http://127.0.0.1:{port}";
        var ct = CancellationToken.None;
        var work = Path.Combine(Path.GetTempPath(), port == 5391 ? "outdial-bench-reads" : $"outdial-bench-reads-{port}");
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        var data = Path.Combine(work, "data");
        // The dialer stays off: the campaign holds still while it is read (its history comes from AttemptHistory).
        var settings = new Dictionary<string, string> { ["Outdial__Dialer"] = "false" };

        var csv = Path.Combine(work, "records.csv");
        var bytes = ImportHttpScenario.Generate(csv, records, priorities: true);
        string campaign;
        await using (var server = await BenchServer.StartAsync(data, baseUrl, settings))
        {
            campaign = await server.CreateCampaignAsync("reads");
            var sw = Stopwatch.StartNew();
            var job = await server.ImportAsync(campaign, csv, () => { });
            Console.WriteLine($"imported {job.GetProperty("rowsCreated")} of {records:N0} rows ({bytes / 1e6:F1} MB CSV) through the API in {sw.Elapsed.TotalSeconds:F1} s: {job.GetProperty("state")}");
            // Active, so the store's dial cycle takes its records (the server's dialer is off: nothing else dials).
            using var active = await server.Client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Active" });
            active.EnsureSuccessStatusCode();
        }
        var history = await AttemptHistory.AddAsync(data, campaign, records, inCall, ct);
        Console.WriteLine($"history through the store's dial cycle: {history.Attempts:N0} attempts on {history.RecordsCalled:N0} records " +
                          $"({history.RecordsCalled * 100.0 / records:F1} %), {history.InCall} calls running, in {history.Elapsed.TotalSeconds:F1} s");

        await using var reads = await BenchServer.StartAsync(data, baseUrl, settings);
        var client = reads.Client;
        var pages = $"/api/v1/campaigns/{campaign}/records?limit={PageSize}";
        string[] warm = [pages, $"/api/v1/campaigns/{campaign}/records?limit=100", $"/api/v1/campaigns/{campaign}"];
        string[] slow = [$"/api/v1/campaigns/{campaign}/statistics", $"/api/v1/campaigns/{campaign}/counts"];
        // Warm-up: the same requests at every size, then a wait until the tiered compiler is idle, so each size is
        // measured on code compiled alike (a 10,000-record export alone is too short to get there).
        for (var i = 0; i < 60; i++)
            foreach (var url in i < 3 ? [.. warm, .. slow] : warm) await GetAsync(client, url);
        var jit = await BenchServer.WaitForJitIdleAsync(reads.ProcessId);
        Console.WriteLine($"warm-up: 60 rounds of the page and campaign GETs (3 of statistics and counts), tiered compiler idle after {jit.TotalSeconds:F1} s more");

        var export = await ExportAsync(client, pages, records);
        Console.WriteLine();
        Console.WriteLine($"| records | full export by cursor ({PageSize}-record pages) | pages | records read | page p50 / p99 / max in the export |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {records:N0} | {export.Elapsed.TotalSeconds:F1} s | {export.Cursors.Count:N0} | {export.Read:N0} | {P(export.PageMs, 0.5):F1} / {P(export.PageMs, 0.99):F1} / {export.PageMs[^1]:F1} ms |"));

        // Start: the first page; middle: the page after the middle cursor; end: the last full page.
        var cursors = export.Cursors;
        var end = cursors.Count >= 2 ? cursors[^2] : null;
        Console.WriteLine();
        Console.WriteLine($"| records | {PageSize}-record page at | median | min | max | server CPU per page | bytes |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (where, cursor) in new[] { ("start", (string?)null), ("middle", cursors[cursors.Count / 2]), ("end", end) })
        {
            var (times, size, cpu) = await TimeAsync(reads, pages + (cursor is null ? "" : "&cursor=" + cursor), Repeats);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {records:N0} | {where} | {times[Repeats / 2]:F1} ms | {times[0]:F1} ms | {times[^1]:F1} ms | {cpu:F1} ms | {size:N0} |"));
        }
        // One client alone, for reading the requests/s below: what one request of each costs on an idle server.
        Console.WriteLine();
        Console.WriteLine("| records | one request at a time | median of 5 | min | max | server CPU per request |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, url) in new[] { ("statistics", $"/api/v1/campaigns/{campaign}/statistics"), ("counts", $"/api/v1/campaigns/{campaign}/counts") })
        {
            var (times, _, cpu) = await TimeAsync(reads, url, 5);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {records:N0} | {name} | {times[2]:F1} ms | {times[0]:F1} ms | {times[^1]:F1} ms | {cpu:F1} ms |"));
        }

        Console.WriteLine();
        // The record page before statistics and counts: a slow endpoint's requests left in flight are waited out, but
        // the cheap ones go first all the same.
        var wrkLog = Path.Combine(work, "wrk.log");
        await Wrk.RunAsync(reads, seconds,
        [
            ("/health", "/health"),
            ("GET …/campaigns/{id}", $"/api/v1/campaigns/{campaign}"),
            ("GET …/campaigns/{id}/records?limit=100", $"/api/v1/campaigns/{campaign}/records?limit=100"),
            ("GET …/campaigns/{id}/statistics", $"/api/v1/campaigns/{campaign}/statistics"),
            ("GET …/campaigns/{id}/counts", $"/api/v1/campaigns/{campaign}/counts"),
        ], records, wrkLog, ct);
        Console.WriteLine($"wrk's output: {wrkLog}");
        return 0;
    }

    /// <returns>The times in milliseconds, sorted; the size of the last body; the server's CPU per request in
    /// milliseconds (user + system, all threads: less sensitive than wall time to other work on the machine).</returns>
    internal static async Task<(double[] Times, long Bytes, double CpuMs)> TimeAsync(BenchServer server, string url, int repeats)
    {
        var times = new double[repeats];
        long size = 0;
        var cpu = BenchServer.CpuSeconds(server.ProcessId);
        for (var i = 0; i < repeats; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            size = (await GetAsync(server.Client, url)).Length;
            times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }
        cpu = BenchServer.CpuSeconds(server.ProcessId) - cpu;
        Array.Sort(times);
        return (times, size, cpu * 1000 / repeats);
    }

    internal static async Task<byte[]> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return body;
    }

    private sealed record Export(TimeSpan Elapsed, List<string?> Cursors, long Read, double[] PageMs);

    /// <summary>Follows nextCursor from the first page to the last, checking that serials only grow (none read twice).</summary>
    private static async Task<Export> ExportAsync(HttpClient client, string pages, int records)
    {
        var cursors = new List<string?>();
        var times = new List<double>();
        long read = 0, last = 0;
        string? cursor = null;
        var sw = Stopwatch.StartNew();
        do
        {
            cursors.Add(cursor);
            var t0 = Stopwatch.GetTimestamp();
            var body = await GetAsync(client, pages + (cursor is null ? "" : "&cursor=" + cursor));
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            using var page = JsonDocument.Parse(body);
            foreach (var item in page.RootElement.GetProperty("items").EnumerateArray())
            {
                var serial = item.GetProperty("serial").GetInt64();
                if (serial <= last) throw new InvalidOperationException($"serial {serial} after {last}: a record read twice or out of order");
                last = serial;
                read++;
            }
            cursor = page.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        } while (cursor is not null);
        sw.Stop();
        if (read != records) throw new InvalidOperationException($"the export read {read:N0} records of {records:N0}");
        var sorted = times.ToArray();
        Array.Sort(sorted);
        return new Export(sw.Elapsed, cursors, read, sorted);
    }

    private static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    internal static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
