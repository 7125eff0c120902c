using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Outdial.Data.Sqlite;

/// <summary>
/// A statement prepared once and bound by position through SQLitePCL: the import's two inserts run millions of times and
/// the ADO.NET layer (parameter lookup by name, command bookkeeping) cost more than SQLite's own work for them.
/// </summary>
/// <remarks>Runs on the connection's handle, so it takes part in that connection's open transaction.</remarks>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public RawStatement Text(int index, string? value)
    {
        if (value is null) return Null(index);
        // Transcoded on the stack: the string overload allocates a UTF-8 array per call (SQLite copies the bytes anyway).
        if (value.Length > 256) return Text(index, System.Text.Encoding.UTF8.GetBytes(value));
        Span<byte> utf8 = stackalloc byte[value.Length * 3];
        var length = System.Text.Encoding.UTF8.GetBytes(value, utf8);
        return Text(index, utf8[..length]);
    }

    /// <summary>Binds UTF-8 text as it is (SQLite copies it).</summary>
    public RawStatement Text(int index, ReadOnlySpan<byte> utf8)
    {
        Check(raw.sqlite3_bind_text(_statement, index, utf8));
        return this;
    }

    public RawStatement Null(int index)
    {
        Check(raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    public RawStatement Int(int index, long? value)
    {
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>Runs the statement and returns the number of rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW) Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
    }

    public void Dispose() => _statement.Dispose();
}
