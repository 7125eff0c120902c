using System.Reflection;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Sqlite;

/// <summary>The dedicated dialing connection (claims, starts, finishes behind one gate) when the store goes away or it breaks.</summary>
public sealed class DialingConnectionTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan LeaseFor = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Disposing_the_store_while_dialing_waits_for_the_call_in_progress_and_fails_the_queued_ones()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(4);
        Assert.Single(await db.ClaimAsync(1)); // the dedicated connection is open

        // Another writer (an import, another process) holds the write lock: the next claim waits in BEGIN IMMEDIATE, holding
        // the gate, and the one after it waits for the gate.
        await using var other = new SqliteConnection($"Data Source={db.Store.DatabasePath};Pooling=False");
        other.Open();
        using var writeLock = other.BeginTransaction(deferred: false);
        var inFlight = Task.Run(() => db.ClaimAsync(1));
        var gate = Gate(db);
        SpinWait.SpinUntil(() => gate.CurrentCount == 0 || inFlight.IsCompleted);
        Assert.False(inFlight.IsCompleted);
        var queued = db.ClaimAsync(1);
        Assert.False(queued.IsCompleted);

        var disposing = db.Store.DisposeAsync().AsTask(); // waits for the gate: the claim in progress holds it
        Assert.False(disposing.IsCompleted);
        writeLock.Rollback();

        Assert.Single(await inFlight); // finished on its connection, not cut off under it
        // Neither waits for ever on a gate that is gone (a hang guard, not a timing assertion).
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queued.WaitAsync(TimeSpan.FromMinutes(2)));
        await disposing.WaitAsync(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => db.ClaimAsync(1));
    }

    [Fact]
    public async Task A_call_queued_behind_a_writer_blocked_call_fails_busy_after_the_gate_timeout_instead_of_adding_up_waits()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(4);
        Assert.Single(await db.ClaimAsync(1));
        db.Store.DialingGateTimeout = TimeSpan.FromSeconds(1);

        await using var other = new SqliteConnection($"Data Source={db.Store.DatabasePath};Pooling=False");
        other.Open();
        using var writeLock = other.BeginTransaction(deferred: false);
        var inFlight = Task.Run(() => db.ClaimAsync(1)); // waits in BEGIN IMMEDIATE (busy timeout 30 s), holding the gate
        var gate = Gate(db);
        SpinWait.SpinUntil(() => gate.CurrentCount == 0 || inFlight.IsCompleted);
        Assert.False(inFlight.IsCompleted);

        var busy = await Assert.ThrowsAsync<SqliteException>(() => db.ClaimAsync(1).WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal(5, busy.SqliteErrorCode);
        writeLock.Rollback();
        Assert.Single(await inFlight);
    }

    [Fact]
    public async Task A_claim_failing_with_an_io_error_is_rolled_back_and_the_next_claim_runs_on_a_fresh_connection()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(4);
        var first = Assert.Single(await db.ClaimAsync(1, "dialer-1"));
        var broken = Connection(db);
        FailWrites(broken, "AFTER UPDATE ON pick_queue", after: 1); // the claim's second lease fails, its first is written

        var e = await Assert.ThrowsAsync<SqliteException>(() => db.ClaimAsync(3, "dialer-2"));
        Assert.Equal(10, e.SqliteErrorCode); // SQLITE_IOERR, as it came from SQLite
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue WHERE lease_owner = 'dialer-2'"));

        var claimed = await db.ClaimAsync(3, "dialer-2");
        Assert.NotSame(broken, Connection(db));
        // No lease lost or given twice: the three others, each leased once.
        Assert.Equal(3, claimed.Count);
        Assert.Equal(4, claimed.Select(c => c.Record.Number).Append(first.Record.Number).Distinct().Count());
        Assert.Equal(4, db.Scalar("SELECT count(DISTINCT record_id) FROM pick_queue WHERE lease_owner IS NOT NULL"));
        Assert.Empty(await db.ClaimAsync(1, "dialer-3"));
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task A_start_or_finish_failing_with_an_io_error_after_its_first_writes_is_rolled_back_and_succeeds_when_retried()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(1);
        var c = Assert.Single(await db.ClaimAsync(1));

        // The start inserts its attempt, then fails on the lease's write.
        FailWrites(Connection(db), "AFTER UPDATE ON pick_queue");
        var e = await Assert.ThrowsAsync<SqliteException>(() => db.Store.StartAttemptAsync(db.Tenant, c.Lease, LeaseFor, db.Now, Ct));
        Assert.Equal(10, e.SqliteErrorCode);
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM attempts"));
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM pick_queue WHERE lease_owner = 'dialer-1' AND attempt_id IS NULL"));

        var start = await db.Store.StartAttemptAsync(db.Tenant, c.Lease, LeaseFor, db.Now, Ct);
        Assert.Equal(AttemptStartStatus.Started, start.Status);

        // The finish writes the attempt, the record and its progress, then fails when the queue row moves.
        FailWrites(Connection(db), "AFTER UPDATE ON pick_queue");
        var outcome = new AttemptOutcome(CallResult.NOANSWER, start.PhoneIndex);
        e = await Assert.ThrowsAsync<SqliteException>(() => db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, outcome, null, db.Now, Ct));
        Assert.Equal(10, e.SqliteErrorCode);
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM attempts WHERE result = 'DIALING' AND ended IS NULL"));
        Assert.Equal(0, db.Scalar("SELECT sum(call_count) FROM campaign_records"));
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM pick_queue WHERE lease_owner = 'dialer-1' AND attempt_id IS NOT NULL"));

        var finish = await db.Store.FinishAttemptAsync(db.Tenant, start.AttemptId!, outcome, null, db.Now, Ct);
        Assert.Equal(AttemptFinishStatus.Applied, finish.Status);
        Assert.Equal(CallResult.NOANSWER, Assert.Single(await db.Store.GetAttemptsAsync(db.Tenant, c.Record.Id, Ct)).Result);
        Assert.Equal(1, db.Scalar("SELECT sum(call_count) FROM campaign_records"));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue WHERE lease_owner IS NOT NULL"));
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task A_connection_closed_under_the_store_fails_one_call_and_the_next_reopens_it()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(2);
        Assert.Single(await db.ClaimAsync(1));
        Connection(db).Close();

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.ClaimAsync(1));
        Assert.Single(await db.ClaimAsync(1));
        Assert.Equal(2, db.Scalar("SELECT count(*) FROM pick_queue WHERE lease_owner IS NOT NULL"));
    }

    [Fact]
    public async Task A_call_queued_behind_one_that_breaks_the_connection_runs_on_a_fresh_one()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(4);
        Assert.Single(await db.ClaimAsync(1));
        FailWrites(Connection(db), "AFTER UPDATE ON pick_queue");

        // As above: the first claim waits in BEGIN IMMEDIATE holding the gate, the second waits for the gate.
        await using var other = new SqliteConnection($"Data Source={db.Store.DatabasePath};Pooling=False");
        other.Open();
        using var writeLock = other.BeginTransaction(deferred: false);
        var inFlight = Task.Run(() => db.ClaimAsync(1, "dialer-2"));
        var gate = Gate(db);
        SpinWait.SpinUntil(() => gate.CurrentCount == 0 || inFlight.IsCompleted);
        Assert.False(inFlight.IsCompleted);
        var queued = db.ClaimAsync(1, "dialer-3");
        Assert.False(queued.IsCompleted);
        writeLock.Rollback();

        // Hang guards, not timing assertions.
        Assert.Equal(10, (await Assert.ThrowsAsync<SqliteException>(() => inFlight.WaitAsync(TimeSpan.FromMinutes(2)))).SqliteErrorCode);
        Assert.Single(await queued.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal(0, db.Scalar("SELECT count(*) FROM pick_queue WHERE lease_owner = 'dialer-2'"));
        db.AssertDerivedConsistent();
    }

    /// <summary>
    /// Breaks the dialing connection as a failing disk would, and only that connection: a temporary trigger calls a
    /// function that fails with SQLITE_IOERR from the (after + 1)-th time on, so SQLite fails the statement mid-transaction.
    /// A connection that keeps it keeps failing; a fresh one has neither.
    /// </summary>
    private static void FailWrites(SqliteConnection connection, string on, int after = 0)
    {
        var calls = 0;
        connection.CreateFunction("injected_io_error", () => ++calls > after ? throw new SqliteException("disk I/O error (injected)", 10) : 0L);
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TEMP TRIGGER injected_io_error {on} BEGIN SELECT injected_io_error(); END";
        command.ExecuteNonQuery();
    }

    private static SqliteConnection Connection(DialingDb db) => (SqliteConnection)Field(Field(db.Store, "_dialing"), "_connection");

    private static object Field(object owner, string name) =>
        owner.GetType().GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(owner)!;

    private static SemaphoreSlim Gate(DialingDb db) => (SemaphoreSlim)Field(Field(db.Store, "_dialing"), "_gate");
}
