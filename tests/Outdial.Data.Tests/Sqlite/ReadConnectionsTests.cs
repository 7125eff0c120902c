using Microsoft.Data.Sqlite;
using Outdial.Data.Sqlite;

namespace Outdial.Data.Tests.Sqlite;

public sealed class ReadConnectionsTests
{
    private sealed class Row
    {
        public long Id { get; set; }
        public long Value { get; set; }
    }

    [Fact]
    public async Task A_kept_parser_survives_a_column_whose_values_change_type_between_calls()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reads-{Guid.NewGuid():N}.db");
        try
        {
            await using var reads = new ReadConnections(async ct =>
            {
                var connection = new SqliteConnection($"Data Source={path};Pooling=False");
                await connection.OpenAsync(ct);
                return connection;
            });
            // An expression column: SQLite gives it the type of each value, so a parser built for an integer meets a real.
            const string sql = "SELECT 1 AS Id, CASE WHEN @real = 1 THEN 2.0 ELSE 3 END AS Value";
            var ct = CancellationToken.None;
            for (var round = 0; round < 3; round++)
            {
                await using (var lease = await reads.RentAsync(ct))
                    Assert.Equal(3, Assert.Single(await lease.QueryAsync<Row>(sql, new { real = 0 }, ct)).Value);
                await using (var lease = await reads.RentAsync(ct))
                    Assert.Equal(2, Assert.Single(await lease.QueryAsync<Row>(sql, new { real = 1 }, ct)).Value);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_snapshot_lease_that_fails_ends_its_transaction_before_the_handle_goes_back_to_the_pool()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reads-{Guid.NewGuid():N}.db");
        var pooled = $"Data Source={path};Pooling=True";
        try
        {
            await using (var setup = new SqliteConnection(pooled))
            {
                await setup.OpenAsync();
                await using var create = setup.CreateCommand();
                create.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE t (x INTEGER)";
                await create.ExecuteNonQueryAsync();
            }
            await using (var reads = new ReadConnections(async ct =>
            {
                var connection = new SqliteConnection(pooled);
                await connection.OpenAsync(ct);
                return connection;
            }))
            {
                await using var lease = await reads.RentAsync(CancellationToken.None);
                await lease.BeginSnapshotAsync(CancellationToken.None);
                await Assert.ThrowsAsync<SqliteException>(() => lease.QueryAsync<long>("SELECT x FROM missing_table", new { }, CancellationToken.None));
            }
            // The handle the failed lease closed is the pool's next: it must be out of the transaction.
            await using var writer = new SqliteConnection(pooled);
            await writer.OpenAsync();
            await using (var tx = (SqliteTransaction)await writer.BeginTransactionAsync())
            {
                await using var insert = writer.CreateCommand();
                insert.CommandText = "INSERT INTO t VALUES (1)";
                insert.Transaction = tx;
                await insert.ExecuteNonQueryAsync();
                await tx.CommitAsync();
            }
            await using var other = new SqliteConnection($"Data Source={path};Pooling=False");
            await other.OpenAsync();
            await using var count = other.CreateCommand();
            count.CommandText = "SELECT count(*) FROM t";
            Assert.Equal(1L, await count.ExecuteScalarAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }
}
