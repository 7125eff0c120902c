using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using PhoneNumbers;

namespace Outdial.Bench;

/// <summary>
/// End-to-end import: a real server process on SQLite, a CSV of N rows posted over HTTP as a background job, timed from the
/// first byte sent to the job's end; beside it the raw <c>sqlite3 .import</c> of the same file as the physical baseline.
/// </summary>
internal static class ImportHttpScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 1 && !args[1].StartsWith('-') ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        // --cold: no warm-up, the timed import is the server's first (JIT compilation included).
        var cold = args.Contains("--cold");
        var work = Path.Combine(Path.GetTempPath(), "outdial-bench-import");
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(work);
        var csv = Path.Combine(work, "records.csv");
        var sw = Stopwatch.StartNew();
        var bytes = Generate(csv, rows);
        Console.WriteLine($"generated {rows:N0} rows ({bytes / 1e6:F1} MB) in {sw.Elapsed.TotalSeconds:F1} s: {csv}");

        var baseline = RawSqliteImport(csv, Path.Combine(work, "raw.db"), rows);
        var (http, peakRss, result) = await HttpImport(csv, Path.Combine(work, "data"), cold);
        var (floor, scan) = SqliteFloor(Path.Combine(work, "data", "outdial.db"), Path.Combine(work, "floor.db"), rows);
        Console.WriteLine();
        Console.WriteLine($"| path | rows | seconds | rows/s |");
        Console.WriteLine($"|---|---|---|---|");
        Console.WriteLine($"| sqlite3 .import (raw baseline) | {rows:N0} | {baseline.TotalSeconds:F2} | {rows / baseline.TotalSeconds:N0} |");
        Console.WriteLine($"| sqlite3 alone storing the rows Outdial stored (floor) | {rows:N0} | {floor.TotalSeconds:F2} | {rows / floor.TotalSeconds:N0} |");
        Console.WriteLine($"| Outdial HTTP import (E.164 + dedupe) | {rows:N0} | {http.TotalSeconds:F2} | {rows / http.TotalSeconds:N0} |");
        Console.WriteLine();
        Console.WriteLine($"Outdial / raw: {baseline.TotalSeconds / http.TotalSeconds * 100:F1} %; floor / raw: {baseline.TotalSeconds / floor.TotalSeconds * 100:F1} % (of the floor's time, reading the source rows: {scan.TotalSeconds:F2} s); Outdial / floor: {floor.TotalSeconds / http.TotalSeconds * 100:F1} %");
        Console.WriteLine($"server peak RSS {peakRss / 1024.0:F0} MiB; job: {result}");
        return 0;
    }

    /// <summary>Writes the bench CSV; <paramref name="priorities"/> adds a Priority column (0-9, uniform), which spreads
    /// the dialer's picks over the whole campaign.</summary>
    internal static long Generate(string path, int rows, bool priorities = false)
    {
        var priority = new Random(7); // apart from the other columns' sequence, so they stay the same with or without it
        var util = PhoneNumberUtil.GetInstance();
        string[] regions = ["GB", "US", "DE", "FR", "FI", "PL", "AU", "BR", "IN", "JP"];
        var examples = regions.Select(r => (Region: r, Number: util.GetExampleNumberForType(r, PhoneNumberType.MOBILE))).ToArray();
        var random = new Random(42);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(true), 1 << 20);
        writer.Write(priorities ? "externalId;Name;Mobile;Country;City;Priority\n" : "externalId;Name;Mobile;Country;City\n");
        var sb = new StringBuilder();
        for (var i = 0; i < rows; i++)
        {
            var (region, example) = examples[random.Next(examples.Length)];
            var national = example.NationalNumber.ToString(CultureInfo.InvariantCulture);
            var number = util.Parse("+" + example.CountryCode + national[..^4] + random.Next(10000).ToString("D4", CultureInfo.InvariantCulture), "ZZ");
            var raw = (i % 4) switch
            {
                0 => util.Format(number, PhoneNumberFormat.E164),
                1 => util.Format(number, PhoneNumberFormat.INTERNATIONAL),
                2 => util.Format(number, PhoneNumberFormat.NATIONAL),
                _ => util.Format(number, PhoneNumberFormat.INTERNATIONAL).Replace(' ', '.'),
            };
            sb.Clear();
            sb.Append("C").Append(i).Append(";\"Customer ").Append(i).Append("\";").Append(raw).Append(';').Append(region).Append(";City ").Append(i % 500);
            if (priorities) sb.Append(';').Append(priority.Next(10));
            sb.Append('\n');
            writer.Write(sb);
        }
        writer.Flush();
        return writer.BaseStream.Length;
    }

    private static TimeSpan RawSqliteImport(string csv, string db, int rows)
    {
        // The file minus BOM and header, so sqlite3 imports exactly the data rows.
        var data = csv + ".noheader";
        using (var input = new StreamReader(csv, Encoding.UTF8, true))
        using (var output = new StreamWriter(data, false, new UTF8Encoding(false), 1 << 20))
        {
            input.ReadLine();
            var buffer = new char[1 << 16];
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0) output.Write(buffer, 0, n);
        }
        var script = $".mode csv\n.separator ;\nCREATE TABLE t(externalId TEXT, name TEXT, mobile TEXT, country TEXT, city TEXT);\n.import {data} t\nSELECT count(*) FROM t;\n";
        var sw = Stopwatch.StartNew();
        var psi = new ProcessStartInfo("sqlite3", db) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var count = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        sw.Stop();
        if (count != rows.ToString(CultureInfo.InvariantCulture)) throw new InvalidOperationException($"sqlite3 imported {count} rows, expected {rows}");
        return sw.Elapsed;
    }

    /// <summary>
    /// The floor under any importer on this schema: the sqlite3 shell (C, no parsing, no normalization, no HTTP) copies the
    /// rows Outdial's import stored (records with their stored JSON forms, progress rows, pick-queue rows) from the
    /// server's file into an empty file with the same schema, in one transaction with a 1 GB page cache: the most
    /// favourable way for SQLite to write them. It reads the source rows too; that scan is timed apart.
    /// </summary>
    private static (TimeSpan Floor, TimeSpan Scan) SqliteFloor(string source, string target, int rows)
    {
        var schema = RunSqlite(source, ".schema\n");
        // The statistics table is SQLite's own (created by ANALYZE); the shell refuses to create it by name.
        var ddl = string.Join('\n', schema.Split('\n').Where(l => !l.Contains("sqlite_stat", StringComparison.Ordinal)));
        var list = RunSqlite(source, "SELECT list_id FROM records GROUP BY list_id ORDER BY count(*) DESC LIMIT 1;\n").Trim();
        var campaign = RunSqlite(source, $"SELECT campaign_id FROM campaign_lists WHERE list_id = {list};\n").Trim();
        foreach (var f in new[] { target, target + "-wal", target + "-shm" }) File.Delete(f);
        RunSqlite(target, $"""
            {ddl}
            PRAGMA journal_mode=WAL;
            ATTACH '{source}' AS s;
            INSERT INTO tenants SELECT * FROM s.tenants;
            INSERT INTO calling_lists SELECT * FROM s.calling_lists WHERE id = {list};
            INSERT INTO campaigns SELECT * FROM s.campaigns WHERE id = {campaign};
            INSERT INTO campaign_lists SELECT * FROM s.campaign_lists WHERE campaign_id = {campaign} AND list_id = {list};

            """);
        var sw = Stopwatch.StartNew();
        var count = RunSqlite(target, $"""
            PRAGMA synchronous=NORMAL;
            PRAGMA foreign_keys=ON;
            PRAGMA cache_size=-1048576;
            ATTACH '{source}' AS s;
            BEGIN;
            INSERT INTO records (uid, tenant_id, list_id, external_id, time_zone, priority, dialing_mode, preview_time, locked,
                                 numbers, phones, attributes, created, modified)
            SELECT uid, tenant_id, list_id, external_id, time_zone, priority, dialing_mode, preview_time, locked,
                   numbers, phones, attributes, created, modified
            FROM s.records WHERE list_id = {list} ORDER BY id;
            INSERT INTO campaign_records (campaign_id, record_id, scheduled_at, agent_id, modified, priority)
            SELECT {campaign}, id, NULL, NULL, modified, priority FROM records;
            {Outdial.Data.Sqlite.SqliteStore.QueueNewProgress("1")};
            COMMIT;
            SELECT count(*) FROM pick_queue;

            """).Trim();
        var floor = sw.Elapsed;
        if (count != rows.ToString(CultureInfo.InvariantCulture)) throw new InvalidOperationException($"floor stored {count} rows, expected {rows}");
        sw.Restart();
        RunSqlite(target, $"ATTACH '{source}' AS s;\nSELECT count(*), sum(length(phones) + length(attributes) + length(uid) + length(numbers)) FROM s.records WHERE list_id = {list};\n");
        return (floor, sw.Elapsed);
    }

    private static string RunSqlite(string db, string script)
    {
        var psi = new ProcessStartInfo("sqlite3", db) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = Process.Start(psi)!;
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"sqlite3 {db} failed ({process.ExitCode})");
        return output;
    }

    private static async Task<(TimeSpan Elapsed, long PeakRssKb, string Result)> HttpImport(string csv, string dataDir, bool cold)
    {
        await using var server = await BenchServer.StartAsync(dataDir);
        var pid = server.ProcessId;
        // Warm-up, so the timed import measures the server's steady state rather than its first seconds of JIT
        // compilation (a server runs many imports after its first): two imports of 20,000 rows into another campaign,
        // each followed by a wait until the runtime's tiered compiler is idle. One import without the waits left the
        // tiered compiler about 3 s of CPU to do during the timed import (its thread's CPU, below).
        var warmup = Path.Combine(Path.GetDirectoryName(csv)!, "warmup.csv");
        await File.WriteAllLinesAsync(warmup, File.ReadLines(csv).Take(20_001), new UTF8Encoding(true));
        for (var round = 1; round <= (cold ? 0 : 2); round++)
        {
            var warmupTime = Stopwatch.StartNew();
            await server.ImportAsync(await server.CreateCampaignAsync($"warm-up {round}"), warmup, () => { });
            var settled = await BenchServer.WaitForJitIdleAsync(pid);
            Console.WriteLine($"warm-up import {round} of 20,000 rows: {warmupTime.Elapsed.TotalSeconds:F1} s (tiered compiler idle after {settled.TotalSeconds:F1} s)");
        }

        var id = await server.CreateCampaignAsync("bench");

        var cpuBefore = BenchServer.CpuSeconds(pid);
        var jitBefore = BenchServer.TieredCompilerCpu(pid);
        var sw = Stopwatch.StartNew();
        long peak = 0;
        var status = await server.ImportAsync(id, csv, () => peak = Math.Max(peak, PeakRss(pid)));
        sw.Stop();
        peak = Math.Max(peak, PeakRss(pid));
        var cpu = BenchServer.CpuSeconds(pid) - cpuBefore;
        var jit = BenchServer.TieredCompilerCpu(pid) - jitBefore;
        var rows = status.GetProperty("rowsDone").GetInt64();
        return (sw.Elapsed, peak, $"server CPU {cpu:N1} s ({cpu * 1e6 / Math.Max(1, rows):N1} µs per row over {sw.Elapsed.TotalSeconds:N1} s wall on {Environment.ProcessorCount} cores, of which the tiered JIT compiler {jit:N1} s); {(cold ? "cold: no warm-up; " : "")}{status.GetProperty("state")} created {status.GetProperty("rowsCreated")} failed {status.GetProperty("rowsFailed")}; job alone {status.GetProperty("rowsPerSecond").GetDouble():N0} rows/s (upload, spool and structure check excluded)");
    }

    /// <summary>VmHWM: the process's peak resident set, in KiB.</summary>
    private static long PeakRss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return 0;
    }
}
