using Outdial.Data.Sqlite;

namespace Outdial.Data.Tests;

public sealed class StoreFactoryTests
{
    [Fact]
    public async Task Sqlite_is_the_default_and_an_unknown_store_is_named_in_the_error()
    {
        var dir = Path.Combine(Path.GetTempPath(), "outdial-factory", Guid.NewGuid().ToString("N"));
        foreach (var kind in new[] { null, "", "SQLite" })
        {
            await using var store = StoreFactory.Open(kind, dir, TimeProvider.System);
            Assert.Equal(Path.GetFullPath(Path.Combine(dir, SqliteStore.FileName)), Assert.IsType<SqliteStore>(store).DatabasePath);
        }
        var e = Assert.Throws<ArgumentException>(() => StoreFactory.Open("postgres", dir, TimeProvider.System));
        Assert.Contains("'postgres'", e.Message, StringComparison.Ordinal);
    }
}
