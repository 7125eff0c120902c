using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace Outdial.Bench.Reads;

/// <summary>
/// `-- conpeek-reads [records] [--port N]`: Conpeek's GET /voice_campaign/{id}/request (issue 21) on a real server process
/// over one campaign of N records imported through the API, with a dialer's history (<see cref="AttemptHistory"/>): the
/// default page (limit 1000, every part) and a few filtered pages, one request at a time after a warm-up, with the key
/// as the raw Authorization value as Conpeek clients send it.
/// </summary>
internal static class ConpeekReadsScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var records = args.Length > 1 && !args[1].StartsWith('-') ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var port = int.Parse(ReadsScenario.Arg(args, "--port", "5393"), CultureInfo.InvariantCulture);
        var baseUrl = $"http://127.0.0.1:{port}";
        var ct = CancellationToken.None;
        var work = Path.Combine(Path.GetTempPath(), $"outdial-bench-conpeek-reads-{port}");
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        var data = Path.Combine(work, "data");
        var settings = new Dictionary<string, string> { ["Outdial__Dialer"] = "false" };
        var csv = Path.Combine(work, "records.csv");
        var bytes = ImportHttpScenario.Generate(csv, records, priorities: true);
        string campaign;
        await using (var server = await BenchServer.StartAsync(data, baseUrl, settings))
        {
            campaign = await server.CreateCampaignAsync("conpeek-reads");
            var sw = Stopwatch.StartNew();
            var job = await server.ImportAsync(campaign, csv, () => { });
            Console.WriteLine($"imported {job.GetProperty("rowsCreated")} of {records:N0} rows ({bytes / 1e6:F1} MB CSV) through the API in {sw.Elapsed.TotalSeconds:F1} s: {job.GetProperty("state")}");
            using var active = await server.Client.PutAsJsonAsync($"/api/v1/campaigns/{campaign}/status", new { status = "Active" });
            active.EnsureSuccessStatusCode();
        }
        var history = await AttemptHistory.AddAsync(data, campaign, records, 20, ct);
        Console.WriteLine($"history: {history.Attempts:N0} attempts on {history.RecordsCalled:N0} records, {history.InCall} calls running, in {history.Elapsed.TotalSeconds:F1} s");

        await using var reads = await BenchServer.StartAsync(data, baseUrl, settings);
        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", BenchServer.Key);
        var url = $"/voice_campaign/{campaign[..24].ToLowerInvariant()}/request";
        static string Filter(string json) => "?filter=" + Uri.EscapeDataString(json);
        (string Name, string Path)[] endpoints =
        [
            ("GET …/request (default limit 1000, every part)", url),
            ("GET …/request?exclude=[history,call_history,dialogs]", url + "?exclude=" + Uri.EscapeDataString("""["history","call_history","dialogs"]""")),
            ("GET …/request?offset=" + (records / 2).ToString(CultureInfo.InvariantCulture), $"{url}?offset={records / 2}"),
            ("filter state=CLOSED", url + Filter("""[{"property":"state","value":["CLOSED"]}]""")),
            ("filter contact_try gte 1", url + Filter("""[{"property":"contact_try","operator":"gte","value":1}]""")),
            ("filter priority eq 5", url + Filter("""[{"property":"priority","operator":"eq","value":5}]""")),
        ];
        for (var i = 0; i < 20; i++)
            foreach (var (_, path) in endpoints) await ReadsScenario.GetAsync(client, path);
        var jit = await BenchServer.WaitForJitIdleAsync(reads.ProcessId);
        Console.WriteLine($"warm-up: 20 rounds of every request, tiered compiler idle after {jit.TotalSeconds:F1} s more");
        Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine("| records | request | median of 11 | min | max | server CPU per request | requests in page | bytes |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var (name, path) in endpoints)
        {
            var times = new double[11];
            byte[] body = [];
            var cpu = BenchServer.CpuSeconds(reads.ProcessId);
            for (var i = 0; i < times.Length; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                body = await ReadsScenario.GetAsync(client, path);
                times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            cpu = (BenchServer.CpuSeconds(reads.ProcessId) - cpu) * 1000 / times.Length;
            Array.Sort(times);
            var count = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("data").GetArrayLength();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {records:N0} | {name} | {times[5]:F1} ms | {times[0]:F1} ms | {times[^1]:F1} ms | {cpu:F1} ms | {count:N0} | {body.Length:N0} |"));
        }
        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }
}
