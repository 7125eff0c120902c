using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Outdial.Data.Tests.Sqlite;

/// <summary>The dedicated dialing connection (claims, starts, finishes behind one gate) when the store goes away.</summary>
public sealed class DialingConnectionTests
{
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

    private static SemaphoreSlim Gate(DialingDb db)
    {
        var dialing = typeof(Outdial.Data.Sqlite.SqliteStore).GetField("_dialing", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(db.Store)!;
        return (SemaphoreSlim)dialing.GetType().GetField("_gate", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(dialing)!;
    }
}
