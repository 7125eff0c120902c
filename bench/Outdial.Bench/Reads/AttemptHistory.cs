using System.Diagnostics;
using Outdial.Data;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Bench.Reads;

/// <summary>
/// Gives an imported campaign a dialer's history through the store's own dial cycle (claim, start, finish: the calls
/// a dialer makes, with its rules for retries, caps and closing), while no server runs on the file: three working days
/// ending yesterday, a tenth of the records called on the first, half as many calls on each later day (retries due
/// first, then new records), and a few calls still running now (their records read PROCESSING / DIALING).
/// </summary>
internal static class AttemptHistory
{
    private const string Owner = "bench-history";

    // Outcomes of a day's calls, as shares of 100.
    private static readonly (CallResult Result, int Share)[] Outcomes =
        [(CallResult.NOANSWER, 50), (CallResult.BUSY, 15), (CallResult.ANSWERING_MACHINE, 10), (CallResult.SUCCESS, 15), (CallResult.REFUSAL, 10)];

    public sealed record Figures(int Attempts, int RecordsCalled, int InCall, TimeSpan Elapsed);

    public static async Task<Figures> AddAsync(string dataDir, string campaignId, int records, int inCall, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var clock = new SetClock();
        await using var store = StoreFactory.Open(null, dataDir, clock);
        await store.MigrateAsync(ct);
        var tenant = await store.EnsureTenantAsync("default", ct);
        var random = new Random(11);
        var called = new HashSet<long>();
        var attempts = 0;
        var today = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero);
        for (var day = 3; day >= 1; day--)
        {
            // 09:00-17:00 UTC, the calls spread evenly over the working day.
            var target = records / 10 >> (3 - day);
            var start = today.AddDays(-day).AddHours(9);
            var step = TimeSpan.FromHours(8) / Math.Max(1, target);
            var placed = 0;
            // A claim evaluates a bounded number of records: one that met only records outside their calling window
            // comes back empty although callable ones follow (those it met wait for their window now).
            for (var empty = 0; placed < target && empty < 50;)
            {
                clock.Now = start + step * placed;
                var batch = await store.ClaimCallableAsync(tenant, campaignId, Math.Min(200, target - placed), Owner, TimeSpan.FromHours(12), clock.Now, ct);
                empty = batch.Count == 0 ? empty + 1 : 0;
                foreach (var claimed in batch)
                {
                    clock.Now = start + step * placed;
                    var attempt = await store.StartAttemptAsync(tenant, claimed.Lease, TimeSpan.FromMinutes(5), clock.Now, ct);
                    if (attempt.Status != AttemptStartStatus.Started) continue;
                    await store.FinishAttemptAsync(tenant, attempt.AttemptId!, new AttemptOutcome(Pick(random), attempt.PhoneIndex), null,
                        clock.Now.AddSeconds(random.Next(5, 120)), ct);
                    called.Add(claimed.Record.Number);
                    placed++;
                }
            }
            attempts += placed;
        }

        // Calls running now: started, not finished (their leases last the benchmark's run).
        clock.Now = DateTimeOffset.UtcNow;
        var running = 0;
        for (var claims = 0; running < inCall && claims < 50; claims++)
            foreach (var claimed in await store.ClaimCallableAsync(tenant, campaignId, inCall - running, Owner, TimeSpan.FromHours(2), clock.Now, ct))
                if ((await store.StartAttemptAsync(tenant, claimed.Lease, TimeSpan.FromHours(2), clock.Now, ct)).Status == AttemptStartStatus.Started)
                {
                    running++;
                    called.Add(claimed.Record.Number);
                }
        return new Figures(attempts + running, called.Count, running, sw.Elapsed);
    }

    private static CallResult Pick(Random random)
    {
        var roll = random.Next(100);
        foreach (var (result, share) in Outcomes)
        {
            if (roll < share) return result;
            roll -= share;
        }
        return CallResult.NOANSWER;
    }

    /// <summary>The history's time: each call at its place in the day it belongs to.</summary>
    private sealed class SetClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
