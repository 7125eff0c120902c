using Outdial.Data.Sqlite;
using Outdial.Data.Tests.Contract;

namespace Outdial.Data.Tests.Sqlite;

/// <summary>The completions' feed time (migration 0019): unique and growing in completion order within a campaign, so that a
/// time alone pages the feed (Bright Pattern's getCompleted).</summary>
public sealed class CompletionTimeTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset T0 = DialingDb.T0;

    private static Task<long?> CompleteAtAsync(SqliteStore store, DialingDb db, DateTimeOffset at) =>
        StoreFixture.CompleteOneAsync(store, db.Tenant, db.Campaign.Id, "dialer", at, Ct);

    private static IEnumerable<DateTimeOffset> Times(IReadOnlyList<Engine.Storage.CompletedRecord> read) => read.Select(c => c.CompletedTime);

    [Fact]
    public async Task Completions_of_one_millisecond_or_out_of_time_order_get_times_a_microsecond_apart_in_completion_order()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(6);
        // Completed in this order at these closing times: the second and third close before the first (read before it
        // committed), the third and fourth in the same millisecond.
        foreach (var ms in new[] { 5, 0, 0, 5, 10 }) await CompleteAtAsync(db.Store, db, T0.AddMilliseconds(ms));

        var all = (await db.Store.GetCompletedFromAsync(db.Tenant, db.Campaign.Id, null, T0.AddDays(-1), 10, Ct))!;
        Assert.Equal(new[] { 5000, 5001, 5002, 5003, 10000 }.Select(us => T0.AddMicroseconds(us)), Times(all));
        Assert.Equal([T0.AddMilliseconds(5), T0, T0, T0.AddMilliseconds(5), T0.AddMilliseconds(10)], all.Select(c => c.Record.Progress[0].ClosedAt!.Value));

        // From a completion's time: it and those after, whatever their closing time; between two microseconds: the later.
        Assert.Equal(all.Skip(2).Select(c => c.Sequence), (await db.Store.GetCompletedFromAsync(db.Tenant, db.Campaign.Id, null, T0.AddMicroseconds(5002), 10, Ct))!.Select(c => c.Sequence));
        Assert.Equal(all.Skip(3).Take(1).Select(c => c.Sequence),
            (await db.Store.GetCompletedFromAsync(db.Tenant, db.Campaign.Id, null, T0.AddMicroseconds(5002).AddTicks(1), 1, Ct))!.Select(c => c.Sequence));
        Assert.Empty((await db.Store.GetCompletedFromAsync(db.Tenant, db.Campaign.Id, null, T0.AddMicroseconds(10001), 10, Ct))!);
        Assert.Null(await db.Store.GetCompletedFromAsync(db.Tenant, Engine.Domain.Id32.New(), null, T0, 10, Ct));

        // A later completion at an earlier closing time still comes after.
        await CompleteAtAsync(db.Store, db, T0);
        Assert.Equal(T0.AddMicroseconds(10001), Assert.Single((await db.Store.GetCompletedFromAsync(db.Tenant, db.Campaign.Id, null, T0.AddMicroseconds(10001), 10, Ct))!).CompletedTime);
    }

    [Fact]
    public async Task An_upgraded_store_gives_the_completions_it_had_growing_times_and_numbers_the_next_after_them()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(5);
        foreach (var ms in new[] { 5, 0, 0, 5 }) await CompleteAtAsync(db.Store, db, T0.AddMilliseconds(ms));
        // Back to the schema before 0019: the trigger of 0016, no feed time.
        using var migration = new StreamReader(typeof(SqliteStore).Assembly.GetManifestResourceStream("Outdial.Data.Sqlite.Migrations.0016_completion_counter.sql")!);
        var v16 = await migration.ReadToEndAsync(Ct);
        db.Sql("DROP TRIGGER tr_campaign_records_completed; DROP INDEX ix_campaign_records_completed_us; "
            + "ALTER TABLE campaign_records DROP COLUMN completed_us; ALTER TABLE completion_counters DROP COLUMN last_us; "
            + v16[v16.IndexOf("CREATE TRIGGER", StringComparison.Ordinal)..] + " PRAGMA user_version = 18;");

        // Pooled connections of the first store keep the schema they parsed (an ALTER TABLE checks against it).
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var upgraded = new SqliteStore(db.Store.DatabasePath, db.Time);
        await upgraded.MigrateAsync(Ct);
        var read = (await upgraded.GetCompletedFromAsync(db.Tenant, db.Campaign.Id, null, T0.AddDays(-1), 10, Ct))!;
        Assert.Equal(new[] { 5000, 5001, 5002, 5003 }.Select(us => T0.AddMicroseconds(us)), Times(read));
        await CompleteAtAsync(upgraded, db, T0);
        Assert.Equal(T0.AddMicroseconds(5004), (await upgraded.GetCompletedFromAsync(db.Tenant, db.Campaign.Id, null, T0.AddDays(-1), 10, Ct))![^1].CompletedTime);
    }
}
