using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

/// <summary>
/// Bulk record writes on one connection and transaction with prepared statements: the import hot path.
/// Duplicates are found by the unique (list, externalId) index, not by a read per row.
/// </summary>
internal sealed class SqliteRecordWriter : IRecordWriter
{
    private readonly SqliteConnection _connection;
    private readonly long _tenant;
    private readonly long _listId;
    private readonly long[] _campaignIds;
    private readonly DuplicatePolicy _duplicates;
    private readonly Func<long> _nowMs;
    private readonly long? _jobId;
    private SqliteTransaction _tx;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _overwrite;
    private readonly SqliteCommand _progress;

    public SqliteRecordWriter(SqliteConnection connection, long tenant, long listId, long[] campaignIds, DuplicatePolicy duplicates, long? jobId, Func<long> nowMs)
    {
        _jobId = jobId;
        _connection = connection;
        _tenant = tenant;
        _listId = listId;
        _campaignIds = campaignIds;
        _duplicates = duplicates;
        _nowMs = nowMs;
        _tx = connection.BeginTransaction();
        _insert = Prepare("""
            INSERT INTO records (uid, tenant_id, list_id, external_id, time_zone, priority, dialing_mode, preview_time, locked,
                                 numbers, phones, attributes, created, modified)
            VALUES ($uid, $tenant, $list, $ext, $tz, $prio, $mode, $preview, $locked, $numbers, $phones, $attrs, $now, $now)
            ON CONFLICT (list_id, external_id) DO NOTHING
            """, "$uid", "$tenant", "$list", "$ext", "$tz", "$prio", "$mode", "$preview", "$locked", "$numbers", "$phones", "$attrs", "$now");
        _overwrite = Prepare("""
            UPDATE records SET time_zone = $tz, priority = $prio, dialing_mode = $mode, preview_time = $preview, locked = $locked,
                               numbers = $numbers, phones = $phones, attributes = $attrs, modified = $now
            WHERE list_id = $list AND external_id = $ext
            RETURNING id, uid
            """, "$list", "$ext", "$tz", "$prio", "$mode", "$preview", "$locked", "$numbers", "$phones", "$attrs", "$now");
        _progress = Prepare("""
            INSERT INTO campaign_records (campaign_id, record_id, scheduled_at, agent_id, modified, priority)
            VALUES ($campaign, $record, $scheduled, $agent, $now, $priority)
            """, "$campaign", "$record", "$scheduled", "$agent", "$now", "$priority");
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _tx;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    public RowOutcome Write(RecordDraft draft)
    {
        var now = _nowMs();
        var uid = Id32.New();
        var externalId = draft.ExternalId ?? uid;
        var numbers = draft.Numbers;
        var phones = draft.PhonesJson;
        var attributes = draft.AttributesJson;

        var p = _insert.Parameters;
        p[0].Value = uid; p[1].Value = _tenant; p[2].Value = _listId; p[3].Value = externalId;
        p[4].Value = (object?)draft.TimeZone ?? DBNull.Value; p[5].Value = draft.Priority;
        p[6].Value = (object?)draft.DialingMode?.ToString() ?? DBNull.Value; p[7].Value = (object?)draft.PreviewTime ?? DBNull.Value;
        p[8].Value = draft.Locked ? 1 : 0; p[9].Value = numbers; p[10].Value = phones; p[11].Value = attributes; p[12].Value = now;
        // changes() and last_insert_rowid() instead of RETURNING: measured ~1.5x faster per row.
        if (_insert.ExecuteNonQuery() == 1)
        {
            var id = SQLitePCL.raw.sqlite3_last_insert_rowid(_connection.Handle);
            foreach (var campaign in _campaignIds)
            {
                var q = _progress.Parameters;
                q[0].Value = campaign; q[1].Value = id;
                q[2].Value = (object?)SqliteStore.ToMs(draft.ScheduledAt) ?? DBNull.Value;
                q[3].Value = (object?)draft.AgentId ?? DBNull.Value; q[4].Value = now; q[5].Value = draft.Priority;
                _progress.ExecuteNonQuery();
            }
            return new RowOutcome(RowStatus.Created, uid, id, null);
        }

        switch (_duplicates)
        {
            case DuplicatePolicy.skip:
                return new RowOutcome(RowStatus.Skipped, null, 0, $"externalId '{externalId}' already exists; skipped");
            case DuplicatePolicy.overwrite:
                var o = _overwrite.Parameters;
                o[0].Value = _listId; o[1].Value = externalId; o[2].Value = p[4].Value; o[3].Value = p[5].Value; o[4].Value = p[6].Value;
                o[5].Value = p[7].Value; o[6].Value = p[8].Value; o[7].Value = numbers; o[8].Value = phones; o[9].Value = attributes; o[10].Value = now;
                using (var reader = _overwrite.ExecuteReader())
                {
                    reader.Read();
                    return new RowOutcome(RowStatus.Updated, reader.GetString(1), reader.GetInt64(0), null);
                }
            default:
                return new RowOutcome(RowStatus.Failed, null, 0, $"Invalid externalId: {externalId} : Value is not unique");
        }
    }

    public void SaveJobProgress(ImportProgress progress, IReadOnlyList<ImportFailure> newFailures) =>
        SqliteStore.SaveJobProgress(_connection, _tx, _jobId ?? throw new InvalidOperationException("the session has no import job"), progress, newFailures);

    public async Task CommitAsync(CancellationToken ct)
    {
        await _tx.CommitAsync(ct);
        await _tx.DisposeAsync();
        _tx = _connection.BeginTransaction();
        _insert.Transaction = _overwrite.Transaction = _progress.Transaction = _tx;
    }

    public async Task RollbackAsync(CancellationToken ct)
    {
        await _tx.RollbackAsync(ct);
        await _tx.DisposeAsync();
        _tx = _connection.BeginTransaction();
        _insert.Transaction = _overwrite.Transaction = _progress.Transaction = _tx;
    }

    public async ValueTask DisposeAsync()
    {
        await _tx.DisposeAsync(); // an uncommitted session rolls back
        await _insert.DisposeAsync();
        await _overwrite.DisposeAsync();
        await _progress.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
