using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Outdial.Data.Sqlite;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Sqlite;

/// <summary>The pick queue (migration 0005) stays consistent with campaign_records whatever writes it.</summary>
public sealed class PickQueueTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Follows_the_dial_cycle_finish_release_and_lease_expiry()
    {
        await using var db = await DialingDb.CreateAsync();
        var s = await db.AddRecordsAsync(6);
        db.AssertDerivedConsistent();
        var leases = (await db.ClaimAsync(6)).ToDictionary(c => c.Record.Number, c => c.Lease);
        Assert.Equal(6, db.Scalar("SELECT count(*) FROM pick_queue WHERE lease_owner = 'dialer-1'"));
        db.AssertDerivedConsistent();

        async Task<AttemptStart> Start(int k) => await db.Store.StartAttemptAsync(db.Tenant, leases[s[k]], TimeSpan.FromMinutes(10), db.Now, Ct);
        async Task<AttemptFinish> Finish(AttemptStart start, AttemptOutcome outcome) =>
            await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, outcome, null, db.Now, Ct);

        Assert.Equal(AttemptFinishStatus.Applied, (await Finish(await Start(0), new AttemptOutcome(CallResult.NOANSWER, 0))).Status);
        Assert.Equal(AttemptFinishStatus.Applied, (await Finish(await Start(1), new AttemptOutcome(CallResult.HANGUP, 0) { CallbackAt = db.Now.AddMinutes(10) })).Status);
        Assert.Equal(AttemptFinishStatus.Applied, (await Finish(await Start(2), new AttemptOutcome(CallResult.SUCCESS, 0))).Status);
        Assert.True(await db.Store.ReleaseLeaseAsync(db.Tenant, leases[s[3]], Ct));
        var dialing = await Start(4);
        await db.Store.AddDncAsync(db.Tenant, [new DncEntry(Id32.New(), DialingDb.Number(5), null, "asked", "test", db.Now, null)], Ct);
        Assert.Equal(AttemptStartStatus.NotCallable, (await Start(5)).Status);
        db.AssertDerivedConsistent();

        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue WHERE record_id = $r", ("$r", s[2]))); // closed
        Assert.Equal(0, db.Scalar("SELECT lane FROM pick_queue WHERE record_id = $r", ("$r", s[1])));       // callback lane
        Assert.Equal(long.MaxValue, db.Scalar("SELECT due FROM pick_queue WHERE record_id = $r", ("$r", s[5])));
        Assert.Equal(0, db.Scalar("SELECT due FROM pick_queue WHERE record_id = $r", ("$r", s[3])));

        // The dialing record's lease runs out (a crashed dialer): it comes back, and the old attempt can no longer finish it.
        db.Time.Advance(TimeSpan.FromMinutes(11));
        var again = await db.ClaimAsync(10, owner: "dialer-2");
        Assert.Contains(s[4], again.Select(c => c.Record.Number));
        Assert.Equal(AttemptFinishStatus.LeaseLost, (await Finish(dialing, new AttemptOutcome(CallResult.SUCCESS, 0))).Status);
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM pick_queue WHERE record_id = $r AND lease_owner = 'dialer-2' AND attempt_id IS NULL", ("$r", s[4])));
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task Record_and_progress_edits_move_the_row_and_have_a_waiting_record_evaluated_again()
    {
        await using var db = await DialingDb.CreateAsync();
        var serial = (await db.AddRecordsAsync(1))[0];
        await WaitAfterBusyAsync(db);
        Assert.Empty(await db.ClaimAsync(1));

        // A record edit (API): evaluated again at once, at its new priority.
        var id = await RecordIdAsync(db, serial);
        var number = DialingDb.Number(0);
        Assert.True(await db.Store.UpdateRecordAsync(db.Tenant, id, new RecordDraft
        {
            ExternalId = "x0",
            Phones = [new RecordPhone { Raw = number, E164 = number }],
            Priority = 5,
        }, Ct));
        db.AssertDerivedConsistent();
        Assert.Equal(5, db.Scalar("SELECT priority FROM pick_queue WHERE record_id = $r", ("$r", serial)));
        Assert.Equal(0, db.Scalar("SELECT due FROM pick_queue WHERE record_id = $r", ("$r", serial)));
        Assert.Empty(await db.ClaimAsync(1)); // evaluated: still waiting for its retry, and written back so
        Assert.Equal(db.Now.AddSeconds(300).ToUnixTimeMilliseconds(), db.Scalar("SELECT due FROM pick_queue WHERE record_id = $r", ("$r", serial)));

        // A progress edit outside the dialer: a callback due now is callable at once, in the callback lane.
        Assert.Equal(1, db.Sql("UPDATE campaign_records SET app_state = 'RECALL', scheduled_at = $t WHERE record_id = $r",
            ("$t", db.Now.ToUnixTimeMilliseconds()), ("$r", serial)));
        db.AssertDerivedConsistent();
        var claimed = Assert.Single(await db.ClaimAsync(1));
        Assert.Equal(ApplicationState.RECALL, claimed.Progress.ApplicationState);
        Assert.True(await db.Store.ReleaseLeaseAsync(db.Tenant, claimed.Lease, Ct));

        // Closed: out of the queue; reopened: a candidate again.
        db.Sql("UPDATE campaign_records SET state = 'CLOSED', app_state = 'CLOSED', result = 'SUCCESS' WHERE record_id = $r", ("$r", serial));
        db.AssertDerivedConsistent();
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue"));
        Assert.Empty(await db.ClaimAsync(1));
        db.Sql("UPDATE campaign_records SET state = 'OPEN', app_state = 'NEW', result = NULL WHERE record_id = $r", ("$r", serial));
        db.AssertDerivedConsistent();
        Assert.Single(await db.ClaimAsync(1));
    }

    [Fact]
    public async Task Edits_keep_a_lease_even_closing_and_reopening_the_record()
    {
        await using var db = await DialingDb.CreateAsync();
        var serial = (await db.AddRecordsAsync(1))[0];
        var c = Assert.Single(await db.ClaimAsync(1));
        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        Assert.Equal(AttemptStartStatus.Started, start.Status);

        db.Sql("UPDATE campaign_records SET state = 'CLOSED', app_state = 'CLOSED' WHERE record_id = $r", ("$r", serial));
        db.AssertDerivedConsistent();
        db.Sql("UPDATE campaign_records SET state = 'OPEN', app_state = 'NEW' WHERE record_id = $r", ("$r", serial));
        db.Sql("UPDATE records SET priority = 3 WHERE id = $r", ("$r", serial));
        db.AssertDerivedConsistent();
        Assert.Empty(await db.ClaimAsync(1, owner: "dialer-2")); // still in its first call

        var finish = await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.SUCCESS, 0), null, db.Now, Ct);
        Assert.Equal(AttemptFinishStatus.Applied, finish.Status);
        db.AssertDerivedConsistent();
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue"));
    }

    [Fact]
    public async Task A_record_closed_while_buffered_leaves_the_queue_when_released_or_claimed_after_expiry()
    {
        await using var db = await DialingDb.CreateAsync();
        var s = await db.AddRecordsAsync(2);
        var leases = (await db.ClaimAsync(2)).ToDictionary(c => c.Record.Number, c => c.Lease);
        db.Sql("UPDATE campaign_records SET state = 'CLOSED', app_state = 'CLOSED'");
        Assert.Equal(2, db.Scalar("SELECT count(*) FROM pick_queue")); // leased: kept until settled

        Assert.True(await db.Store.ReleaseLeaseAsync(db.Tenant, leases[s[0]], Ct));
        db.AssertDerivedConsistent();
        db.Time.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(await db.ClaimAsync(2));
        db.AssertDerivedConsistent();
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue"));
    }

    [Fact]
    public async Task Deleting_records_detaching_a_list_or_deleting_the_campaign_removes_their_rows()
    {
        await using var db = await DialingDb.CreateAsync();
        var s = await db.AddRecordsAsync(3);
        var leased = Assert.Single(await db.ClaimAsync(1));
        Assert.True(await db.Store.DeleteRecordAsync(db.Tenant, leased.Record.Id, Ct));
        Assert.True(await db.Store.DeleteRecordAsync(db.Tenant, await RecordIdAsync(db, s[2]), Ct));
        db.AssertDerivedConsistent();
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM pick_queue"));

        var list = new CallingList(Id32.New(), "more", null, db.Now);
        await db.Store.CreateCallingListAsync(db.Tenant, list, Ct);
        await using (var writer = (await db.Store.BeginRecordWriteAsync(db.Tenant, list.Id, DuplicatePolicy.reject, null, Ct))!)
        {
            for (var i = 0; i < 4; i++)
                writer.Write(new RecordDraft { ExternalId = $"m{i}", Phones = [new RecordPhone { Raw = DialingDb.Number(100 + i), E164 = DialingDb.Number(100 + i) }] });
            await writer.CommitAsync(Ct);
        }
        Assert.True(await db.Store.AttachListAsync(db.Tenant, db.Campaign.Id, list.Id, Ct));
        db.AssertDerivedConsistent();
        Assert.Equal(5, db.Scalar("SELECT count(*) FROM pick_queue"));
        Assert.True(await db.Store.DetachListAsync(db.Tenant, db.Campaign.Id, list.Id, Ct));
        db.AssertDerivedConsistent();
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM pick_queue"));

        Assert.True(await db.Store.DeleteCampaignAsync(db.Tenant, db.Campaign.Id, Ct));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue"));
    }

    [Fact]
    public async Task An_import_queues_the_records_it_creates_once_even_when_it_overwrites_them_in_the_same_transaction()
    {
        await using var db = await DialingDb.CreateAsync();
        await using (var writer = (await db.Store.BeginRecordWriteAsync(db.Tenant, db.Campaign.DefaultListId!, DuplicatePolicy.overwrite, null, Ct))!)
        {
            foreach (var (ext, priority) in new[] { ("a", 0), ("b", 1), ("a", 2) })
                writer.Write(new RecordDraft { ExternalId = ext, Phones = [new RecordPhone { Raw = DialingDb.Number(1), E164 = DialingDb.Number(1) }], Priority = priority });
            Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue")); // not committed yet
            await writer.CommitAsync(Ct);
            writer.Write(new RecordDraft { ExternalId = "c", Phones = [new RecordPhone { Raw = DialingDb.Number(2), E164 = DialingDb.Number(2) }] });
            await writer.RollbackAsync(Ct);
        }
        db.AssertDerivedConsistent();
        Assert.Equal(2, db.Scalar("SELECT count(*) FROM pick_queue"));
        Assert.Equal(2, db.Scalar("SELECT max(priority) FROM pick_queue"));
    }

    /// <summary>
    /// Random claims, starts, finishes, releases, renewals, record and progress edits and time steps: after every step the
    /// queue matches campaign_records, and a record is never handed out while another lease on it is alive.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Random_operations_keep_the_queue_consistent_and_never_lease_a_record_twice(int seed)
    {
        await using var db = await DialingDb.CreateAsync();
        var serials = await db.AddRecordsAsync(8, k => k % 3);
        var random = new Random(seed);
        var held = new Dictionary<long, RecordLease>();   // record -> live lease, as the store handed them out
        var buffered = new List<RecordLease>();
        var calls = new List<(string Attempt, RecordLease Lease)>();
        CallResult[] outcomes = [CallResult.NOANSWER, CallResult.BUSY, CallResult.SUCCESS, CallResult.HANGUP, CallResult.REFUSAL];

        for (var step = 0; step < 250; step++)
        {
            switch (random.Next(9))
            {
                case 0 or 1:
                    foreach (var c in await db.ClaimAsync(random.Next(1, 4), owner: $"dialer-{random.Next(3)}", leaseFor: TimeSpan.FromMinutes(random.Next(1, 6))))
                    {
                        if (held.TryGetValue(c.Record.Number, out var live)) Assert.True(live.Until <= db.Now, $"record {c.Record.Number} leased twice");
                        held[c.Record.Number] = c.Lease;
                        buffered.Add(c.Lease);
                    }
                    break;
                case 2 when buffered.Count > 0:
                    {
                        var lease = Take(buffered, random);
                        var start = await db.Store.StartAttemptAsync(db.Tenant, lease, TimeSpan.FromMinutes(random.Next(1, 6)), db.Now, Ct);
                        if (start.Status == AttemptStartStatus.Started)
                        {
                            held[lease.RecordSerial] = start.Lease!;
                            calls.Add((start.AttemptId!, start.Lease!));
                        }
                        else if (held.GetValueOrDefault(lease.RecordSerial) == lease) held.Remove(lease.RecordSerial);
                        break;
                    }
                case 3 when calls.Count > 0:
                    {
                        var (attempt, lease) = Take(calls, random);
                        var result = outcomes[random.Next(outcomes.Length)];
                        var outcome = new AttemptOutcome(result, 0) { CallbackAt = result == CallResult.HANGUP ? db.Now.AddMinutes(random.Next(0, 10)) : null };
                        var finish = await db.Store.FinishAttemptAsync(db.Tenant, attempt, outcome, null, db.Now, Ct);
                        if (finish.Status == AttemptFinishStatus.Applied && held.GetValueOrDefault(lease.RecordSerial)?.Owner == lease.Owner)
                            held.Remove(lease.RecordSerial);
                        break;
                    }
                case 4 when buffered.Count > 0:
                    {
                        var lease = Take(buffered, random);
                        if (await db.Store.ReleaseLeaseAsync(db.Tenant, lease, Ct)) held.Remove(lease.RecordSerial);
                        break;
                    }
                case 5 when calls.Count > 0:
                    {
                        var k = random.Next(calls.Count);
                        if (await db.Store.RenewLeaseAsync(db.Tenant, calls[k].Lease, TimeSpan.FromMinutes(5), db.Now, Ct) is { } renewed)
                        {
                            calls[k] = (calls[k].Attempt, renewed);
                            held[renewed.RecordSerial] = renewed;
                        }
                        break;
                    }
                case 6:
                    db.Sql("UPDATE records SET priority = $p WHERE id = $r", ("$p", random.Next(3)), ("$r", serials[random.Next(serials.Count)]));
                    break;
                case 7:
                    db.Sql(random.Next(3) switch
                    {
                        0 => "UPDATE campaign_records SET app_state = 'RECALL', scheduled_at = $t WHERE record_id = $r",
                        1 => "UPDATE campaign_records SET state = 'CLOSED', app_state = 'CLOSED' WHERE record_id = $r",
                        _ => "UPDATE campaign_records SET state = 'OPEN', app_state = 'NEW', call_count = 0 WHERE record_id = $r",
                    }, ("$t", db.Now.AddMinutes(random.Next(-5, 5)).ToUnixTimeMilliseconds()), ("$r", serials[random.Next(serials.Count)]));
                    break;
                default:
                    db.Time.Advance(TimeSpan.FromSeconds(random.Next(0, 240)));
                    break;
            }
            db.AssertDerivedConsistent();
        }
    }

    [Fact]
    public async Task Claimers_of_two_processes_on_one_file_never_get_the_same_record()
    {
        await using var db = await DialingDb.CreateAsync();
        var serials = await db.AddRecordsAsync(600);
        await using var other = new SqliteStore(db.Store.DatabasePath, db.Time); // its own claim connection: a second writer
        var seen = new ConcurrentBag<long>();

        var claimers = Enumerable.Range(0, 8).Select(k => Task.Run(async () =>
        {
            var store = k % 2 == 0 ? db.Store : other;
            while (true)
            {
                var batch = await store.ClaimCallableAsync(db.Tenant, db.Campaign.Id, 1 + k % 7, $"dialer-{k}", TimeSpan.FromMinutes(5), db.Now, Ct);
                if (batch.Count == 0) return;
                foreach (var c in batch) seen.Add(c.Record.Number);
            }
        }));
        await Task.WhenAll(claimers);

        Assert.Equal(serials.Order(), seen.Order());
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task Migration_fills_the_queue_from_campaign_records_and_keeps_live_leases()
    {
        var dir = Path.Combine(Path.GetTempPath(), "outdial-data-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "v4.db");
        var t0 = DialingDb.T0.ToUnixTimeMilliseconds();
        try
        {
            // A database as 0004 left it: a new record, a due retry, a callback, a leased record and a closed one.
            await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                await connection.OpenAsync(Ct);
                var assembly = typeof(SqliteStore).Assembly;
                foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Migrations.000", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Take(4))
                {
                    using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                    Exec(connection, await reader.ReadToEndAsync(Ct));
                }
                Exec(connection, $$"""
                    PRAGMA user_version = 4;
                    INSERT INTO tenants (id, name, created) VALUES (1, 't1', 0);
                    INSERT INTO calling_lists (id, uid, tenant_id, name, created) VALUES (1, 'L1', 1, 'l', 0);
                    INSERT INTO campaigns (id, uid, tenant_id, name, dialer_type, dialing_mode, status, dialer_status, time_zone, abandon_rate,
                        increase_predictive_ratio, registered, modified, retry_count, window_start, window_end, no_redial_after_abandon_hours, rules, default_list_id)
                    VALUES (1, 'C1', 1, 'c', 'CampaignDialer', 'PROGRESSIVE', 'Active', 'OPEN', 'UTC', 3, 0, 0, 0, 3, '00:00', '00:00', 0, '{}', 1);
                    INSERT INTO campaign_lists VALUES (1, 1);
                    INSERT INTO records (id, uid, tenant_id, list_id, external_id, numbers, phones, attributes, created, modified)
                    SELECT value, 'R' || value, 1, 1, 'x' || value, '+1555000000' || value,
                           '[{"raw":"+1555000000' || value || '","e164":"+1555000000' || value || '"}]', '[]', 0, 0
                    FROM json_each('[1,2,3,4,5]');
                    INSERT INTO campaign_records (campaign_id, record_id, state, app_state, call_count, scheduled_at, modified, next_eligible_at, lease_owner, lease_until, priority) VALUES
                        (1, 1, 'OPEN', 'NEW', 0, NULL, 0, NULL, NULL, NULL, 0),
                        (1, 2, 'OPEN', 'RETRY', 1, {{t0 - 60_000}}, 0, {{t0 - 60_000}}, NULL, NULL, 0),
                        (1, 3, 'OPEN', 'RECALL', 1, {{t0 - 1000}}, 0, {{t0 - 1000}}, NULL, NULL, 0),
                        (1, 4, 'OPEN', 'NEW', 0, NULL, 0, {{t0 + 300_000}}, 'old-dialer', {{t0 + 300_000}}, 0),
                        (1, 5, 'CLOSED', 'CLOSED', 1, NULL, 0, NULL, NULL, NULL, 0);
                    """);
            }
            await using var store = new SqliteStore(path, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DialingDb.T0));
            await store.MigrateAsync(Ct);

            var order = (await store.ClaimCallableAsync(1, "C1", 10, "d", TimeSpan.FromMinutes(30), DialingDb.T0, Ct)).Select(c => c.Record.Number);
            Assert.Equal([3L, 1L, 2L], order); // callback, never evaluated, then the due retry; the leased and the closed ones not
            var later = await store.ClaimCallableAsync(1, "C1", 10, "d", TimeSpan.FromMinutes(5), DialingDb.T0.AddMinutes(5), Ct);
            Assert.Equal(4, Assert.Single(later).Record.Number); // the old lease ran out
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    [Fact]
    public async Task A_campaign_change_resets_only_the_waiting_records_it_may_make_callable_sooner()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { RetryCount = 0 });
        var s = await db.AddRecordsAsync(2);
        foreach (var c in await db.ClaimAsync(2))
        {
            var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
            await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.BUSY, 0), null, db.Now, Ct);
        }
        // RetryCount 0: one call and done (MAXCALLS, stored as never). Make the second one wait for a callback instead.
        db.Sql("UPDATE campaign_records SET app_state = 'RECALL', scheduled_at = $t WHERE record_id = $r",
            ("$t", db.Now.AddHours(1).ToUnixTimeMilliseconds()), ("$r", s[1]));
        Assert.Empty(await db.ClaimAsync(2));
        long Due(long serial) => db.Scalar("SELECT due FROM pick_queue WHERE record_id = $r", ("$r", serial));
        Assert.Equal(long.MaxValue, Due(s[0]));
        var waiting = Due(s[1]);
        Assert.Equal(db.Now.AddHours(1).ToUnixTimeMilliseconds(), waiting);

        var campaign = (await db.Store.GetCampaignAsync(db.Tenant, db.Campaign.Id, Ct))!;
        Assert.True(await db.Store.UpdateCampaignAsync(db.Tenant, campaign = campaign with { Name = "renamed" }, Ct));
        Assert.Null(await db.Store.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct));
        Assert.Equal(0, await db.Store.RunPendingReevaluationsAsync(Ct));
        Assert.Equal((long.MaxValue, waiting), (Due(s[0]), Due(s[1])));

        Assert.True(await db.Store.UpdateCampaignAsync(db.Tenant, campaign = campaign with { RetryCount = 2 }, Ct));
        Assert.Equal([SqliteStore.ReasonRetryCountRaised], (await db.Store.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct))!.Reasons);
        Assert.Equal(1, await db.Store.RunPendingReevaluationsAsync(Ct));
        Assert.Null(await db.Store.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct));
        Assert.Equal((0L, waiting), (Due(s[0]), Due(s[1]))); // only the MAXCALLS record
        db.Time.Advance(TimeSpan.FromMinutes(6)); // past its BUSY retry delay
        Assert.Equal(s[0], Assert.Single(await db.ClaimAsync(2)).Record.Number);

        Assert.True(await db.Store.UpdateCampaignAsync(db.Tenant, campaign with { CallingWindow = new CallingWindow(new TimeOnly(1, 0), new TimeOnly(23, 0)) }, Ct));
        Assert.Equal(1, await db.Store.RunPendingReevaluationsAsync(Ct));
        Assert.Equal(0, Due(s[1]));
        db.AssertDerivedConsistent();
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static T Take<T>(List<T> items, Random random)
    {
        var k = random.Next(items.Count);
        var item = items[k];
        items.RemoveAt(k);
        return item;
    }

    /// <summary>Claims the only record, dials it and finishes BUSY: it then waits 300 s for its retry.</summary>
    private static async Task WaitAfterBusyAsync(DialingDb db)
    {
        var c = Assert.Single(await db.ClaimAsync(1));
        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, TimeSpan.FromMinutes(10), db.Now, Ct);
        var finish = await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, new AttemptOutcome(CallResult.BUSY, 0), null, db.Now, Ct);
        Assert.Equal(AttemptFinishStatus.Applied, finish.Status);
        db.AssertDerivedConsistent();
    }

    private static async Task<string> RecordIdAsync(DialingDb db, long serial)
    {
        await using var connection = new SqliteConnection($"Data Source={db.Store.DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT uid FROM records WHERE id = $r";
        command.Parameters.AddWithValue("$r", serial);
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }
}
