using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Outdial.Bench;

/// <summary>
/// `-- obi-list [rows]`: the same rows added through the native CSV import (a background job, timed to its end) and through
/// Sinch OBI's <c>POST …/customers/list</c> (one JSON body, timed to its answer), each into its own campaign of one server,
/// alternately twice; with the server's peak RSS after each (issue 20).
/// </summary>
internal static class ObiListScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 1 && !args[1].StartsWith('-') ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        var work = Path.Combine(Path.GetTempPath(), "outdial-bench-obi-list");
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        var (csv, json) = (Path.Combine(work, "records.csv"), Path.Combine(work, "customers.json"));
        Write(csv, json, rows);
        Console.WriteLine($"{rows:N0} rows: CSV {new FileInfo(csv).Length / 1e6:F1} MB, OBI JSON {new FileInfo(json).Length / 1e6:F1} MB");

        await using var server = await BenchServer.StartAsync(Path.Combine(work, "data"), environment: new Dictionary<string, string> { ["Outdial__Dialer"] = "false" });
        Console.WriteLine("| round | path | rows | seconds | rows/s | server peak RSS |");
        Console.WriteLine("|---|---|---|---|---|---|");
        for (var round = 0; round < 2; round++)
        {
            var campaign = await server.CreateCampaignAsync($"native {round}");
            var sw = Stopwatch.StartNew();
            var job = await server.ImportAsync(campaign, csv, () => { });
            Report(round, $"native CSV import ({job.GetProperty("rowsCreated")} created)", rows, sw.Elapsed, server.ProcessId);

            campaign = await server.CreateCampaignAsync($"obi {round}");
            sw.Restart();
            await using var file = File.OpenRead(json);
            var content = new StreamContent(file, 1 << 16);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await server.Client.PostAsync($"/RI/obi/campaigns/{campaign}/customers/list", content);
            var body = await response.Content.ReadAsByteArrayAsync();
            var elapsed = sw.Elapsed;
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {Encoding.UTF8.GetString(body)}");
            using var results = JsonDocument.Parse(body);
            var created = results.RootElement.EnumerateArray().Count(r => r.GetProperty("statusCode").GetInt32() == 201);
            Report(round, $"OBI POST …/customers/list ({created} created)", rows, elapsed, server.ProcessId);
        }
        return 0;
    }

    private static void Report(int round, string path, int rows, TimeSpan elapsed, int pid) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {round + 1} | {path} | {rows:N0} | {elapsed.TotalSeconds:F2} | {rows / elapsed.TotalSeconds:N0} | {PeakRss(pid) / 1024.0:F0} MiB |"));

    /// <summary>VmHWM of /proc/PID/status, in KiB.</summary>
    private static long PeakRss(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>The same customers as CSV (externalId, numbers, Name, City) and as OBI JSON: UK mobile numbers in E.164.</summary>
    private static void Write(string csv, string json, int rows)
    {
        using var c = new StreamWriter(csv, false, new UTF8Encoding(false), 1 << 20);
        using var stream = new FileStream(json, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var j = new Utf8JsonWriter(stream);
        c.Write("externalId;numbers;Name;City\n");
        j.WriteStartArray();
        for (var i = 0; i < rows; i++)
        {
            var (id, number, name, city) = ($"C{i}", $"+447400{i:000000}", $"Customer {i}", $"City {i % 500}");
            c.Write($"{id};{number};{name};{city}\n");
            j.WriteStartObject();
            j.WriteString("externalId", id);
            j.WriteString("numbers", number);
            j.WriteStartArray("attributes");
            foreach (var (n, v) in new[] { ("Name", name), ("City", city) })
            {
                j.WriteStartObject();
                j.WriteString("name", n);
                j.WriteString("value", v);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        j.WriteEndArray();
    }
}
