using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>The embedded store: a real SQLite file in a directory of its own, deleted after the test.</summary>
public sealed class SqliteStoreFixture : StoreFixture
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "outdial-contract", Guid.NewGuid().ToString("N"));

    protected override IStore Create(TimeProvider time) => StoreFactory.Open(StoreFactory.Sqlite, _dir, time);

    protected override ValueTask DropAsync()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
