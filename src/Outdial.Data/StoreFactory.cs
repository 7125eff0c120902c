using Outdial.Data.Sqlite;
using Outdial.Engine.Storage;

namespace Outdial.Data;

/// <summary>The one place a store is made: the server, the CLI and the contract tests open stores here, so a second
/// implementation (PostgreSQL, <c>Outdial:Store=postgres</c>) is chosen by configuration in one switch.</summary>
public static class StoreFactory
{
    public const string Sqlite = "sqlite";

    /// <summary>Opens (does not migrate) the store of the given kind; null or empty is the embedded default, SQLite.</summary>
    /// <param name="dataDir">Where the embedded store keeps its file (<see cref="SqliteStore.FileName"/>).</param>
    /// <exception cref="ArgumentException">the kind names no store this build has</exception>
    public static IStore Open(string? kind, string dataDir, TimeProvider time) =>
        string.IsNullOrWhiteSpace(kind) || string.Equals(kind.Trim(), Sqlite, StringComparison.OrdinalIgnoreCase)
            ? new SqliteStore(Path.Combine(dataDir, SqliteStore.FileName), time)
            : throw new ArgumentException($"Outdial:Store is '{kind}': this build has the '{Sqlite}' store only", nameof(kind));
}
