using Dapper;

namespace Outdial.Data.Tests.Sqlite;

public sealed class CheckpointTests
{
    [Fact]
    public async Task A_bulk_write_lands_in_the_database_file_beside_the_writer_and_pooled_connections_checkpoint_again()
    {
        await using var db = await DialingDb.CreateAsync();
        var before = new FileInfo(db.Store.DatabasePath).Length;
        await db.AddRecordsAsync(3000);

        // The writer's connection had automatic checkpoints off: without the checkpointer its pages would all still sit
        // in the WAL (3,000 records are far below the 1,000-page automatic threshold anyway).
        Assert.True(new FileInfo(db.Store.DatabasePath).Length > before + 500_000, "the records' pages were not copied into the database file");

        var connections = new List<Microsoft.Data.Sqlite.SqliteConnection>();
        try
        {
            for (var i = 0; i < 3; i++) connections.Add(await db.Store.OpenAsync(CancellationToken.None));
            foreach (var connection in connections)
                Assert.Equal(1000, await connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint;"));
        }
        finally
        {
            foreach (var connection in connections) await connection.DisposeAsync();
        }
    }
}
