using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Outdial.Data.Sqlite;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Bench.Picks;

/// <summary>
/// `-- picks [--records 1000000,10000000] [--picks 200000] [--batch 200] [--dir /tmp/outdial-bench] [--cycles 20000] [--dnc 0] [--fixed-backlog] [--pick-share 0.2] [--reads]`: picks per second and
/// pick latency through <see cref="CallablePicker"/> (one dialer taking one record at a time), and the latency of the
/// store claims that refill it, on a generated campaign per size. Generated files are kept as templates and copied per run.
/// </summary>
internal static class PickScenario
{
    public static async Task RunAsync(string[] args)
    {
        var sizes = Arg(args, "--records", "1000000,10000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var fixedPicks = int.Parse(Arg(args, "--picks", "200000"), CultureInfo.InvariantCulture);
        // --pick-share S: each size takes S x its records instead of the same count, i.e. the same share of each campaign.
        // With a fixed count the sizes pick different groups: 200,000 picks stay in the sparse high-priority groups at 10M
        // (one records page per pick) but reach the dense priority-0 group at 1M.
        var share = args.Contains("--pick-share") ? double.Parse(Arg(args, "--pick-share", "0"), CultureInfo.InvariantCulture) : (double?)null;
        var batch = int.Parse(Arg(args, "--batch", "200"), CultureInfo.InvariantCulture);
        var dir = Arg(args, "--dir", Path.Combine(Path.GetTempPath(), "outdial-bench"));
        var fixedBacklog = args.Contains("--fixed-backlog");
        Directory.CreateDirectory(dir);
        var ct = CancellationToken.None;

        // Templates are named by schema version, so a schema change regenerates them (and old ones are never misread).
        var schema = await SchemaVersionAsync(dir, ct);
        foreach (var size in sizes)
        {
            var picks = share is { } part ? (int)(part * size) : fixedPicks;
            var template = Path.Combine(dir, $"picks-{size}-v{schema}{(fixedBacklog ? "-fixed-backlog" : "")}.db");
            if (!File.Exists(template)) await PickData.GenerateAsync(template, size, fixedBacklog, ct);
            var work = Path.Combine(dir, "picks-run.db");
            File.Copy(template, work, overwrite: true);
            File.Delete(work + "-wal");
            File.Delete(work + "-shm");
            // The copy is setup: its writeback (GBs at 10M) must not land in the timed picks.
            using (var copy = new FileStream(work, FileMode.Open, FileAccess.ReadWrite)) copy.Flush(flushToDisk: true);

            var time = new RunningClock(PickData.Now);
            await using var store = new SqliteStore(work, time);
            await store.MigrateAsync(ct);
            await using var picker = new CallablePicker(store, 1, "B0000000000000000000000000000001", "bench", time,
                new PickerOptions { BatchSize = batch, LowWater = batch / 2, LeaseFor = TimeSpan.FromMinutes(30) });

            var latencies = new double[picks];
            var taken = 0;
            var total = Stopwatch.StartNew();
            for (; taken < picks; taken++)
            {
                var start = Stopwatch.GetTimestamp();
                if (await picker.TakeAsync(ct) is null) break;
                latencies[taken] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            total.Stop();
            Array.Sort(latencies, 0, taken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"records={size,11:N0} buffered picks={taken:N0} picks/s={taken / total.Elapsed.TotalSeconds:N0} " +
                $"p50={P(latencies, taken, 0.50):F4}ms p99={P(latencies, taken, 0.99):F4}ms p99.9={P(latencies, taken, 0.999):F3}ms " +
                $"max={(taken > 0 ? latencies[taken - 1] : 0):F1}ms deferred={Deferred(work):N0}"));

            // The store claims alone: a batch refill, and one record per claim (a dialer without a buffer).
            foreach (var (max, calls) in new[] { (batch, 100), (1, 2000) })
            {
                var claims = new double[calls];
                var claimed = 0;
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    claimed += (await store.ClaimCallableAsync(1, "B0000000000000000000000000000001", max, "direct", TimeSpan.FromMinutes(30), time.GetUtcNow(), ct)).Count;
                    claims[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                Array.Sort(claims);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"records={size,11:N0} claim({max}) x{calls}: records/s={claimed / clock.Elapsed.TotalSeconds:N0} " +
                    $"p50={P(claims, calls, 0.5):F2}ms p99={P(claims, calls, 0.99):F2}ms max={claims[^1]:F1}ms"));
            }
            // The whole dial cycle a dialer runs per record: take, start the attempt (DNC and caps again), finish it.
            var cycles = int.Parse(Arg(args, "--cycles", "20000"), CultureInfo.InvariantCulture);
            var starts = new double[cycles];
            var finishes = new double[cycles];
            var done = 0;
            var cycleClock = Stopwatch.StartNew();
            for (; done < cycles; done++)
            {
                if (await picker.TakeAsync(ct) is not { } next) break;
                var t0 = Stopwatch.GetTimestamp();
                var started = await store.StartAttemptAsync(1, next.Lease, TimeSpan.FromMinutes(30), time.GetUtcNow(), ct);
                starts[done] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (started.Status != AttemptStartStatus.Started) continue;
                t0 = Stopwatch.GetTimestamp();
                await store.FinishAttemptAsync(1, started.AttemptId!, new AttemptOutcome(CallResult.NOANSWER, started.PhoneIndex), null, time.GetUtcNow(), ct);
                finishes[done] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
            var cycleSeconds = cycleClock.Elapsed.TotalSeconds;
            Array.Sort(starts, 0, done);
            Array.Sort(finishes, 0, done);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"records={size,11:N0} dial cycles={done:N0} cycles/s={(done == 0 ? 0 : done / cycleSeconds):N0} start p50={P(starts, done, 0.5):F2}ms " +
                $"p99={P(starts, done, 0.99):F2}ms finish p50={P(finishes, done, 0.5):F2}ms p99={P(finishes, done, 0.99):F2}ms"));

            // A bulk DNC import that shortens --dnc existing tenant-wide blocks (numbers spread over the campaign): the
            // re-evaluations it records and the walk over the waiting rows that works through them.
            var dnc = int.Parse(Arg(args, "--dnc", "0"), CultureInfo.InvariantCulture);
            if (dnc > 0)
            {
                var numbers = Enumerable.Range(0, dnc).Select(k => "+1" + (2000000000L + (long)k * (size / dnc)).ToString(CultureInfo.InvariantCulture)).ToList();
                var added = time.GetUtcNow();
                await store.AddDncAsync(1, numbers.ConvertAll(n => new DncEntry(Id32.New(), n, null, "bench", "bench", added, null)), ct);
                var shorten = Stopwatch.StartNew();
                await store.AddDncAsync(1, numbers.ConvertAll(n => new DncEntry(Id32.New(), n, null, "bench", "bench", added, added.AddHours(1))), ct);
                var recorded = shorten.Elapsed.TotalSeconds;
                var markers = Markers(work);
                var walk = Stopwatch.StartNew();
                var resetByDnc = await store.RunPendingReevaluationsAsync(ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"records={size,11:N0} dnc bulk shorten of {dnc:N0} numbers: recorded in {recorded:F2} s, markers={markers:N0}, " +
                    $"walked in {walk.Elapsed.TotalSeconds:F1} s ({walk.Elapsed.TotalSeconds / markers:F2} s per marker), rows reset={resetByDnc:N0}"));
            }

            if (args.Contains("--reads")) await ReadsAsync(store, size, time.GetUtcNow(), ct);

            // What a campaign change costs (RetryCount, window...): every waiting record becomes a candidate again.
            if (args.Contains("--skip-invalidate")) continue;
            var invalidate = Stopwatch.StartNew();
            var reset = await store.InvalidateEligibilityAsync(1, "B0000000000000000000000000000001", time.GetUtcNow(), ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"records={size,11:N0} invalidate: {reset:N0} waiting records reset in {invalidate.Elapsed.TotalSeconds:F1} s"));
            SqliteConnection.ClearAllPools();
        }
    }

    /// <summary>The supervisor's and CRM's reads of a campaign (store calls behind the API's GETs), three times each.</summary>
    private static async Task ReadsAsync(SqliteStore store, int size, DateTimeOffset now, CancellationToken ct)
    {
        const string campaign = "B0000000000000000000000000000001";
        var reads = new (string Name, Func<Task> Read)[]
        {
            ("counts", () => store.GetCampaignCountsAsync(1, campaign, now, ct)),
            ("statistics (total)", () => store.GetStatisticsAsync(1, campaign, DateTimeOffset.UnixEpoch, now.AddMilliseconds(1), null, now, ct)),
            ("result statistics", () => store.GetResultStatisticsAsync(1, campaign, ct)),
            ("search, first page of 100", () => store.SearchRecordsAsync(1, new RecordQuery { CampaignId = campaign }, ct)),
            ("search state=OPEN, page of 100", () => store.SearchRecordsAsync(1, new RecordQuery
            {
                CampaignId = campaign,
                Filters = [new FieldFilter(RecordField.state, "OPEN")],
            }, ct)),
        };
        foreach (var (name, read) in reads)
        {
            var ms = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                await read();
                ms.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"records={size,11:N0} read {name}: {string.Join(" / ", ms.Select(m => m.ToString("F1", CultureInfo.InvariantCulture)))} ms"));
        }
    }

    /// <summary>New records evaluated during the run and found not callable now (outside their window): written back, not leased.</summary>
    private static long Deferred(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        // New records are queued at base 0 (never evaluated) in lane 1.
        command.CommandText = "SELECT count(*) FROM pick_queue WHERE lane = 1 AND base = 0 AND due <> 0 AND lease_owner IS NULL";
        return (long)command.ExecuteScalar()!;
    }

    private static long Markers(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM pick_reevaluations";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The schema version the store migrates to (an empty database, migrated and read back).</summary>
    private static async Task<long> SchemaVersionAsync(string dir, CancellationToken ct)
    {
        var path = Path.Combine(dir, $"schema-{Environment.ProcessId}.db");
        try
        {
            await using (var store = new SqliteStore(path, TimeProvider.System)) await store.MigrateAsync(ct);
            await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            return (long)(await command.ExecuteScalarAsync(ct))!;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(path + suffix);
        }
    }

    private static double P(double[] sorted, int count, double q) => count == 0 ? 0 : sorted[Math.Min(count - 1, (int)(q * count))];

    private static string Arg(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>Wall-clock time elapsed since the run started, added to a fixed instant.</summary>
    private sealed class RunningClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _origin = Stopwatch.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => start + Stopwatch.GetElapsedTime(_origin);
    }
}
