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
}
