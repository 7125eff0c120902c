using Outdial.Data.Sqlite;
using Outdial.Data.Tests.Contract;

namespace Outdial.Data.Tests.Sqlite;

/// <summary>Migration 0016 on a store that already has completions: the counter starts after the largest sequence given.</summary>
public sealed class CompletionCounterTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task An_upgraded_store_numbers_the_next_completion_after_those_it_had()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(4);
        for (var i = 0; i < 2; i++) Assert.NotNull(await StoreFixture.CompleteOneAsync(db.Store, db.Tenant, db.Campaign.Id, "dialer", db.Now, Ct));
        // Back to the schema before 0016: the trigger of 0004 (as that migration wrote it), no counters.
        using var migration = new StreamReader(typeof(SqliteStore).Assembly.GetManifestResourceStream("Outdial.Data.Sqlite.Migrations.0004_completion.sql")!);
        var v4 = await migration.ReadToEndAsync(Ct);
        db.Sql("DROP TRIGGER tr_campaign_records_completed; DROP TABLE completion_counters; "
            + "DROP INDEX ix_campaign_records_completed_us; ALTER TABLE campaign_records DROP COLUMN completed_us; " // 0019's
            + v4[v4.IndexOf("CREATE TRIGGER", StringComparison.Ordinal)..] + " PRAGMA user_version = 15;");

        await using var upgraded = new SqliteStore(db.Store.DatabasePath, db.Time);
        await upgraded.MigrateAsync(Ct);
        var read = (await upgraded.GetCompletedAsync(db.Tenant, db.Campaign.Id, null, null, 0, 10, Ct))!;
        Assert.Equal([1L, 2L], read.Select(c => c.Sequence));
        Assert.True(await upgraded.DeleteRecordAsync(db.Tenant, read[1].Record.Record.Id, Ct));
        var next = await StoreFixture.CompleteOneAsync(upgraded, db.Tenant, db.Campaign.Id, "dialer", db.Now, Ct);
        var after = Assert.Single((await upgraded.GetCompletedAsync(db.Tenant, db.Campaign.Id, null, null, 2, 10, Ct))!);
        Assert.Equal((3L, next), (after.Sequence, (long?)after.Record.Record.Number));
    }
}
