using Dapper;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    public async Task<string?> FindRecordIdAsync(long tenant, long number, CancellationToken ct) =>
        (await QueryAsync<string>("SELECT uid FROM records WHERE id = @number AND tenant_id = @tenant", new { tenant, number }, ct)).FirstOrDefault();

    // Writing `locked` fires tr_records_dialing (0005): the record's queue rows are evaluated again at the next pick.
    public async Task<bool> SetRecordLockedAsync(long tenant, string id, bool locked, CancellationToken ct) =>
        await WriteAsync("UPDATE records SET locked = @locked, modified = @now WHERE tenant_id = @tenant AND uid = @id",
            new { locked = locked ? 1 : 0, now = NowMs, tenant, id }, "record in use", ct) == 1;

    public async Task<bool> ResetRecordAsync(long tenant, string id, Func<IReadOnlyList<RecordPhone>, IReadOnlyList<RecordPhone>> resetPhones, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long Serial, string Phones)>(new CommandDefinition(
            "SELECT id, phones FROM records WHERE tenant_id = @tenant AND uid = @id", new { tenant, id }, tx, cancellationToken: ct));
        if (row.Serial == 0) return false;
        var now = NowMs;
        var phones = RecordJson.PhonesUtf8(resetPhones(RecordJson.ReadPhones(row.Phones)));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE records SET phones = @phones, modified = @now WHERE id = @Serial",
            new { phones = System.Text.Encoding.UTF8.GetString(phones), now, row.Serial }, tx, cancellationToken: ct));
        // The triggers keep what follows progress: the pick queue (a new next_eligible_at: due 0, evaluated at the next
        // pick; a row for a record that was closed), the campaign tallies and the handled-customer tallies. The completion
        // sequence is cleared: the record is no longer completed, and closing again takes a new number from the counter.
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE campaign_records SET state = 'OPEN', app_state = 'NEW', result = NULL, call_result = NULL, classifier = NULL,
                call_count = 0, last_b_number = 0, scheduled_at = NULL, next_eligible_at = NULL, closed_at = NULL,
                completion_seq = NULL, completed_us = NULL, amount = NULL, script = NULL, modified = @now
            WHERE record_id = @Serial
            """, new { now, row.Serial }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }
}
