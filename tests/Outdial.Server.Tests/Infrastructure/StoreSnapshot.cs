using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace Outdial.Server.Tests.Infrastructure;

/// <summary>
/// Row counts and content hashes of every table of a store file, plus the spool files next to it: two equal snapshots
/// mean nothing was written. Read through a read-only connection of its own (WAL: it sees every committed change and
/// never blocks the server's writer).
/// </summary>
public sealed class StoreSnapshot : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _spoolDir;

    public StoreSnapshot(string dataDir)
    {
        _spoolDir = Path.Combine(dataDir, "imports");
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "outdial.db"),
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
    }

    /// <summary>Table name to "rows:hash", and "spool" to the names of the files in the spool directory.</summary>
    public SortedDictionary<string, string> Take()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var selects = Selects();
        // One read transaction: every table as of the same commit.
        using var transaction = _connection.BeginTransaction(deferred: true);
        Span<byte> number = stackalloc byte[9];
        foreach (var (table, select) in selects)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = select;
            using var reader = command.ExecuteReader();
            long rows = 0;
            while (reader.Read())
            {
                rows++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    switch (reader.GetValue(i))
                    {
                        case DBNull:
                            hash.AppendData("N"u8);
                            break;
                        case long l:
                            number[0] = (byte)'L';
                            BitConverter.TryWriteBytes(number[1..], l);
                            hash.AppendData(number);
                            break;
                        case double d:
                            number[0] = (byte)'D';
                            BitConverter.TryWriteBytes(number[1..], d);
                            hash.AppendData(number);
                            break;
                        case byte[] b:
                            hash.AppendData("B"u8);
                            hash.AppendData(BitConverter.GetBytes(b.Length));
                            hash.AppendData(b);
                            break;
                        case var v:
                            var text = Encoding.UTF8.GetBytes(Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!);
                            hash.AppendData("S"u8);
                            hash.AppendData(BitConverter.GetBytes(text.Length));
                            hash.AppendData(text);
                            break;
                    }
                }
            }
            result[table] = $"{rows}:{Convert.ToHexString(hash.GetHashAndReset())[..16]}";
        }
        result["spool"] = Directory.Exists(_spoolDir)
            ? string.Join(",", Directory.GetFiles(_spoolDir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            : "";
        return result;
    }

    /// <summary>One SELECT per table, ordered by all its columns: the same rows hash the same whatever order SQLite keeps them in.</summary>
    private List<(string Table, string Select)> Selects()
    {
        var version = Scalar("PRAGMA schema_version");
        if (_selects is { } cached && cached.Version == version) return cached.Selects;
        var tables = new List<string>();
        using (var list = _connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }
        var selects = new List<(string, string)>();
        foreach (var table in tables)
        {
            using var columns = _connection.CreateCommand();
            columns.CommandText = $"SELECT count(*) FROM pragma_table_info('{table}')";
            var count = Convert.ToInt32(columns.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            selects.Add((table, $"SELECT * FROM \"{table}\" ORDER BY {string.Join(", ", Enumerable.Range(1, count))}"));
        }
        _selects = (version, selects);
        return selects;
    }

    private (long Version, List<(string Table, string Select)> Selects)? _selects;

    /// <summary>The entries that differ between two snapshots, for a failure message.</summary>
    public static string Diff(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join("; ", before.Keys.Union(after.Keys)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k} {before.GetValueOrDefault(k)} -> {after.GetValueOrDefault(k)}"));

    /// <summary>A single value of the store (a count, a state), through the same read-only connection.</summary>
    public long Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose() => _connection.Dispose();
}
