using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Outdial.Data.Sqlite;

/// <summary>Open connections for the hot reads, each keeping its commands prepared: Microsoft.Data.Sqlite prepares a
/// statement again on every new command and finalizes them when a pooled connection is closed, and parsing was a fifth of
/// a campaign GET's CPU. A connection is leased by one caller at a time; no transaction is left open on it, and each
/// reader is disposed (its statement reset), so an idle connection holds no snapshot.</summary>
internal sealed class ReadConnections(Func<CancellationToken, Task<SqliteConnection>> open) : IAsyncDisposable
{
    private const int MaxIdle = 16, MaxCommands = 64;
    private readonly ConcurrentBag<Entry> _idle = [];
    private volatile bool _disposed;

    internal sealed class Entry(SqliteConnection connection)
    {
        public SqliteConnection Connection { get; } = connection;
        public Dictionary<string, SqliteCommand> Commands { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, (Type Type, Func<DbDataReader, object> Parse)> Parsers { get; } = new(StringComparer.Ordinal);
    }

    public async Task<Lease> RentAsync(CancellationToken ct) =>
        new(this, _idle.TryTake(out var entry) ? entry : new Entry(await open(ct)));

    private async ValueTask ReturnAsync(Entry entry, bool faulted)
    {
        if (!faulted && !_disposed && _idle.Count < MaxIdle)
        {
            _idle.Add(entry);
            if (!_disposed) return;
            if (!_idle.TryTake(out var again)) return;
            entry = again;
        }
        await CloseAsync(entry);
    }

    private static async ValueTask CloseAsync(Entry entry)
    {
        foreach (var command in entry.Commands.Values) await command.DisposeAsync();
        await entry.Connection.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_idle.TryTake(out var entry)) await CloseAsync(entry);
    }

    /// <summary>One caller's use of a connection: queries by SQL text, its command prepared once per connection.</summary>
    internal sealed class Lease(ReadConnections owner, Entry entry) : IAsyncDisposable
    {
        private bool _faulted;

        private bool _inSnapshot;

        /// <summary>Reads until the lease ends see one snapshot (a deferred transaction, ended when the lease is returned):
        /// for answers made of several statements.</summary>
        public async Task BeginSnapshotAsync(CancellationToken ct)
        {
            await ExecuteAsync("BEGIN", ct);
            _inSnapshot = true;
        }

        private async Task ExecuteAsync(string sql, CancellationToken ct)
        {
            try
            {
                await Command(sql, NoArgs).ExecuteNonQueryAsync(ct);
            }
            catch
            {
                _faulted = true;
                throw;
            }
        }

        private static readonly Dictionary<string, object?> NoArgs = [];

        /// <param name="args">An object whose properties are the parameters, or the parameters by name.</param>
        public async Task<List<T>> QueryAsync<T>(string sql, object args, CancellationToken ct)
        {
            var command = Command(sql, args);
            try
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = new List<T>();
                if (!await reader.ReadAsync(ct)) return rows;
                var (parse, kept) = Parser<T>(sql, reader);
                do
                {
                    object row;
                    try { row = parse(reader); }
                    catch (Exception e) when (kept && e is InvalidCastException or System.Data.DataException { InnerException: InvalidCastException })
                    {
                        // SQLite types values, not columns: an expression column can change type between calls.
                        (parse, kept) = (NewParser<T>(sql, reader), false);
                        row = parse(reader);
                    }
                    rows.Add((T)row);
                }
                while (await reader.ReadAsync(ct));
                return rows;
            }
            catch
            {
                _faulted = true;
                throw;
            }
        }

        /// <summary>Rows mapped by <paramref name="map"/> (typed reads by position, for the pages read most).</summary>
        public async Task<List<T>> QueryAsync<T>(string sql, IEnumerable<KeyValuePair<string, object?>> args, Func<SqliteDataReader, T> map, CancellationToken ct)
        {
            var command = Command(sql, args);
            try
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                var rows = new List<T>();
                while (await reader.ReadAsync(ct)) rows.Add(map(reader));
                return rows;
            }
            catch
            {
                _faulted = true;
                throw;
            }
        }

        public async Task<T?> ScalarAsync<T>(string sql, object args, CancellationToken ct) =>
            (await QueryAsync<T>(sql, args, ct)) is [var first, ..] ? first : default;

        private SqliteCommand Command(string sql, object args)
        {
            if (!entry.Commands.TryGetValue(sql, out var command))
            {
                if (entry.Commands.Count >= MaxCommands)
                {
                    foreach (var old in entry.Commands.Values) old.Dispose();
                    entry.Commands.Clear();
                    entry.Parsers.Clear();
                }
                command = entry.Connection.CreateCommand();
                command.CommandText = sql;
                entry.Commands[sql] = command;
            }
            // Values re-bound by name; the prepared statements stay (they are dropped only when the text changes).
            command.Parameters.Clear();
            if (args is IEnumerable<KeyValuePair<string, object?>> named)
                foreach (var (name, value) in named) command.Parameters.AddWithValue("@" + name, value ?? DBNull.Value);
            else
                foreach (var property in Properties(args.GetType()))
                    command.Parameters.AddWithValue("@" + property.Name, property.GetValue(args) ?? DBNull.Value);
            return command;
        }

        // Kept with the prepared command: a statement's columns do not change, and Dapper's look-up of its cached parser
        // (hashing every column's name and type) cost as much as reading the row.
        private (Func<DbDataReader, object> Parse, bool Kept) Parser<T>(string sql, DbDataReader reader) =>
            entry.Parsers.TryGetValue(sql, out var known) && known.Type == typeof(T) ? (known.Parse, true) : (NewParser<T>(sql, reader), false);

        private Func<DbDataReader, object> NewParser<T>(string sql, DbDataReader reader)
        {
            // As object: Dapper's parser of a single-column string (or other simple type) is typed object.
            var parse = reader.GetRowParser<object>(typeof(T));
            entry.Parsers[sql] = (typeof(T), parse);
            return parse;
        }

        private static readonly ConcurrentDictionary<Type, PropertyInfo[]> PropertiesByType = new();

        private static PropertyInfo[] Properties(Type type) => PropertiesByType.GetOrAdd(type, t => t.GetProperties());

        public async ValueTask DisposeAsync()
        {
            if (_inSnapshot)
            {
                if (!_faulted)
                {
                    try { await ExecuteAsync("COMMIT", CancellationToken.None); }
                    catch (Exception e) when (e is SqliteException or InvalidOperationException or OperationCanceledException) { }
                }
                if (_faulted) await RollBackAsync();
            }
            await owner.ReturnAsync(entry, _faulted);
        }

        /// <summary>A faulted connection is closed into Microsoft.Data.Sqlite's pool, which does not roll back: the snapshot
        /// must end here, or the next writer to open that handle would find itself inside this transaction.</summary>
        private async Task RollBackAsync()
        {
            try
            {
                await using var rollback = entry.Connection.CreateCommand();
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is SqliteException or InvalidOperationException)
            {
                // "no transaction is active" (SQLite ended it) is fine; anything else: keep the handle out of the pool.
                if (e is not SqliteException { SqliteErrorCode: 1 }) SqliteConnection.ClearPool(entry.Connection);
            }
        }
    }
}
