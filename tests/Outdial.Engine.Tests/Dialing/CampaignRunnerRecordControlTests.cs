using Outdial.Data.Tests.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Records;

namespace Outdial.Engine.Tests.Dialing;

/// <summary>Lock, unlock and reset as the dialer sees them: through the runner on virtual time.</summary>
public sealed partial class CampaignRunnerTests
{
    [Fact]
    public async Task A_locked_record_is_never_dialed_until_unlocked()
    {
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PROGRESSIVE });
        var serials = await db.AddRecordsAsync(3);
        var control = new RecordControlOperations(db.Store);
        var locked = (await db.Store.FindRecordIdAsync(db.Tenant, serials[1], Ct))!;
        Assert.True((await control.LockAsync(db.Tenant, locked, Ct)).Record.Locked);

        var (_, runner, _) = await StartAsync(db, agents: 1, seed: 1, PeopleAnswer);
        await using (runner)
        {
            await RunForAsync(db, runner, TimeSpan.FromMinutes(5));
            var dialed = Attempts(db).Select(a => a.Record).ToHashSet();
            Assert.Contains(serials[0], dialed);
            Assert.Contains(serials[2], dialed);
            Assert.DoesNotContain(serials[1], dialed);

            Assert.False((await control.UnlockAsync(db.Tenant, locked, Ct)).Record.Locked);
            await RunForAsync(db, runner, TimeSpan.FromMinutes(2));
            Assert.Contains(serials[1], Attempts(db).Select(a => a.Record));
        }
        db.AssertDerivedConsistent();
    }

    [Fact]
    public async Task A_reset_record_is_as_if_just_imported_and_dialed_again_at_once()
    {
        // Every call is final: the record is closed after its first call and never dialed again on its own.
        await using var db = await DialingDb.CreateAsync(c => c with { DialingMode = DialingMode.PROGRESSIVE });
        var serial = (await db.AddRecordsAsync(1))[0];
        var id = (await db.Store.FindRecordIdAsync(db.Tenant, serial, Ct))!;
        var control = new RecordControlOperations(db.Store);
        var (_, runner, _) = await StartAsync(db, agents: 1, seed: 1, PeopleAnswer);
        await using (runner)
        {
            await RunForAsync(db, runner, TimeSpan.FromMinutes(3));
            Assert.Single(Attempts(db));
            var closed = (await db.Store.GetRecordAsync(db.Tenant, id, Ct))!;
            Assert.Equal(RecordState.CLOSED, closed.Progress[0].State);
            Assert.Equal(1, closed.Record.Phones[0].Tries);
            await RunForAsync(db, runner, TimeSpan.FromMinutes(2));
            Assert.Single(Attempts(db));

            var reset = await control.ResetAsync(db.Tenant, id, Ct);
            var progress = Assert.Single(reset.Progress);
            Assert.Equal((RecordState.OPEN, ApplicationState.NEW, 0, (CallResult?)null, (DateTimeOffset?)null, (DateTimeOffset?)null),
                (progress.State, progress.ApplicationState, progress.CallCount, progress.Result, progress.ClosedAt, progress.ScheduledAt));
            Assert.Equal((0, 0, (DateTimeOffset?)null), (reset.Record.Phones[0].Tries, reset.Record.Phones[0].TriesToday, reset.Record.Phones[0].LastTry));
            db.AssertDerivedConsistent();
            Assert.Equal(0, HandledMinusClosed(db));

            await RunForAsync(db, runner, TimeSpan.FromSeconds(2));
            Assert.Equal(2, Attempts(db).Count);
            await RunForAsync(db, runner, TimeSpan.FromMinutes(2));
        }
        // The history is kept; the tallies, the handled customers and the completion feed follow the reopened record.
        db.AssertDerivedConsistent();
        Assert.Equal(0, HandledMinusClosed(db));
        Assert.Equal(RecordState.CLOSED, (await db.Store.GetRecordAsync(db.Tenant, id, Ct))!.Progress[0].State);
        Assert.Equal(1, db.Scalar("SELECT count(*) FROM campaign_records WHERE completion_seq = 2"));
    }

    [Fact]
    public async Task Unknown_records_are_not_found_by_the_controls()
    {
        await using var db = await DialingDb.CreateAsync();
        var control = new RecordControlOperations(db.Store);
        foreach (var id in new[] { Id32.New(), "not-an-id" })
        {
            Assert.Equal(Outdial.Engine.Operations.ErrorKind.NotFound, (await Assert.ThrowsAsync<Outdial.Engine.Operations.OperationException>(() => control.LockAsync(db.Tenant, id, Ct))).Kind);
            Assert.Equal(Outdial.Engine.Operations.ErrorKind.NotFound, (await Assert.ThrowsAsync<Outdial.Engine.Operations.OperationException>(() => control.ResetAsync(db.Tenant, id, Ct))).Kind);
        }
    }

    /// <summary>Handled customers of all time counted by the tallies, less the closed progress rows (0 when they agree).</summary>
    private static long HandledMinusClosed(DialingDb db) =>
        db.Scalar("SELECT coalesce(sum(handled), 0) FROM campaign_call_tallies WHERE span = 1000000000000000")
        - db.Scalar("SELECT count(*) FROM campaign_records WHERE state = 'CLOSED' AND closed_at IS NOT NULL");
}
