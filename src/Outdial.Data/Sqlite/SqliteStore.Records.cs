using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    public async Task<IRecordWriter?> BeginRecordWriteAsync(long tenant, string listId, DuplicatePolicy duplicates, string? importJobId, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        // Bulk writes touch index pages all over: a large page cache keeps them from being re-read.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;", cancellationToken: ct));
        var list = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM calling_lists WHERE tenant_id = @tenant AND uid = @listId", new { tenant, listId }, cancellationToken: ct));
        if (list is null)
        {
            await connection.DisposeAsync();
            return null;
        }
        // The tenant's agents, for rows that assign one (few, and one look-up per writer rather than per row).
        var agents = (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT uid FROM agents WHERE tenant_id = @tenant", new { tenant }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        long? jobId = importJobId is null ? null : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT id FROM import_jobs WHERE tenant_id = @tenant AND uid = @importJobId", new { tenant, importJobId }, cancellationToken: ct));
        return new SqliteRecordWriter(connection, tenant, list.Value, agents, duplicates, jobId, () => NowMs);
    }

    private sealed class RecordRow
    {
        public long Serial { get; set; }
        public string Id { get; set; } = "";
        public string ListId { get; set; } = "";
        public string ExternalId { get; set; } = "";
        public string? TimeZone { get; set; }
        public long Priority { get; set; }
        public string? DialingMode { get; set; }
        public long? PreviewTime { get; set; }
        public long Locked { get; set; }
        public string Phones { get; set; } = "[]";
        public string Attributes { get; set; } = "[]";
        public long Created { get; set; }
        public long Modified { get; set; }

        /// <summary>The row from <see cref="RecordColumns"/> by position with typed reads: Dapper reads each value boxed
        /// through its type check, a third of a record page's CPU.</summary>
        public static RecordRow Read(SqliteDataReader r) => new()
        {
            Serial = r.GetInt64(0),
            Id = r.GetString(1),
            ListId = r.GetString(2),
            ExternalId = Text(r, 3) ?? "",
            TimeZone = Text(r, 4),
            Priority = r.GetInt64(5),
            DialingMode = Text(r, 6),
            PreviewTime = r.IsDBNull(7) ? null : r.GetInt64(7),
            Locked = r.GetInt64(8),
            Phones = Text(r, 9) ?? "[]",
            Attributes = Text(r, 10) ?? "[]",
            Created = r.GetInt64(11),
            Modified = r.GetInt64(12),
        };

        public CallRecord ToRecord() => new()
        {
            Id = Id,
            Number = Serial,
            ListId = ListId,
            ExternalId = ExternalId,
            TimeZone = TimeZone,
            Priority = (int)Priority,
            DialingMode = DialingMode is null ? null : Enum.Parse<DialingMode>(DialingMode),
            PreviewTime = (int?)PreviewTime,
            Locked = Locked != 0,
            Phones = RecordJson.ReadPhones(Phones),
            Attributes = RecordJson.ReadAttributes(Attributes),
            Created = FromMs(Created)!.Value,
            Modified = FromMs(Modified)!.Value,
        };
    }

    private sealed class ProgressRow
    {
        public long RecordSerial { get; set; }
        public string CampaignId { get; set; } = "";
        public string State { get; set; } = "";
        public string AppState { get; set; } = "";
        public string? Result { get; set; }
        public string? CallResult { get; set; }
        public string? Classifier { get; set; }
        public long CallCount { get; set; }
        public long LastBNumber { get; set; }
        public long? ScheduledAt { get; set; }
        public string? AgentId { get; set; }
        public double? Amount { get; set; }
        public string? Script { get; set; }
        public long? ClosedAt { get; set; }
        public long Modified { get; set; }

        /// <summary>The row from <see cref="ProgressColumnsLive"/> starting at column <paramref name="o"/>, as <see cref="RecordRow.Read"/>.</summary>
        public static ProgressRow Read(SqliteDataReader r, int o) => new()
        {
            RecordSerial = r.GetInt64(o),
            CampaignId = r.GetString(o + 1),
            State = r.GetString(o + 2),
            AppState = r.GetString(o + 3),
            Result = Text(r, o + 4),
            CallResult = Text(r, o + 5),
            Classifier = Text(r, o + 6),
            CallCount = r.GetInt64(o + 7),
            LastBNumber = r.GetInt64(o + 8),
            ScheduledAt = r.IsDBNull(o + 9) ? null : r.GetInt64(o + 9),
            AgentId = Text(r, o + 10),
            Amount = r.IsDBNull(o + 11) ? null : r.GetDouble(o + 11),
            Script = Text(r, o + 12),
            ClosedAt = r.IsDBNull(o + 13) ? null : r.GetInt64(o + 13),
            Modified = r.GetInt64(o + 14),
        };

        public RecordProgress ToProgress() => new()
        {
            CampaignId = CampaignId,
            State = Enum.Parse<RecordState>(State),
            ApplicationState = Enum.Parse<ApplicationState>(AppState),
            Result = Result is null ? null : Enum.Parse<CallResult>(Result),
            CallResult = CallResult,
            Classifier = Classifier,
            CallCount = (int)CallCount,
            LastBNumber = (int)LastBNumber,
            ScheduledAt = FromMs(ScheduledAt),
            AgentId = AgentId,
            Amount = Amount is null ? null : (decimal)Amount.Value,
            Script = Script is null ? null : JsonSerializer.Deserialize<Script>(Script, StoreJson),
            ClosedAt = FromMs(ClosedAt),
            Modified = FromMs(Modified)!.Value,
        };
    }

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private const string RecordColumns = """
        r.id AS Serial, r.uid AS Id, l.uid AS ListId, r.external_id AS ExternalId, r.time_zone AS TimeZone, r.priority AS Priority,
        r.dialing_mode AS DialingMode, r.preview_time AS PreviewTime, r.locked AS Locked, r.phones AS Phones,
        r.attributes AS Attributes, r.created AS Created, r.modified AS Modified
        """;

    /// <summary>How many columns <see cref="RecordColumns"/> has: where a row's progress columns start after them.</summary>
    private const int RecordColumnCount = 13;

    private const string ProgressColumns = $"""
        cr.record_id AS RecordSerial, c.uid AS CampaignId, cr.state AS State, cr.app_state AS AppState, cr.result AS Result,
        {ProgressRest}
        """;

    private const string ProgressRest = """
        cr.call_result AS CallResult, cr.classifier AS Classifier, cr.call_count AS CallCount, cr.last_b_number AS LastBNumber,
        cr.scheduled_at AS ScheduledAt, cr.agent_id AS AgentId, cr.amount AS Amount, cr.script AS Script,
        cr.closed_at AS ClosedAt, cr.modified AS Modified
        """;

    /// <summary>The progress row as readers see it: while a call runs, state PROCESSING (Conpeek) and result DIALING
    /// (OBI). The progress row itself is written when the attempt ends; the call is the attempt on the record's pick
    /// queue row (found by the key its progress row gives). The dialer reads <see cref="ProgressColumns"/>, as stored.</summary>
    private const string ProgressColumnsLive = $"""
        cr.record_id AS RecordSerial, c.uid AS CampaignId, {LiveState} AS State, cr.app_state AS AppState, {LiveResult} AS Result,
        {ProgressRest}
        """;

    // A seek in the partial index ix_pick_queue_in_call (0012): only the rows in a call are in it. Named, because the
    // planner otherwise took the primary key's campaign prefix and read the whole campaign's queue for every row
    // (a 1000-record page: 12.7 s at 100,000 records, 1 ms with the index).
    private const string InCall = """
        EXISTS (SELECT 1 FROM pick_queue q INDEXED BY ix_pick_queue_in_call WHERE q.campaign_id = cr.campaign_id AND q.record_id = cr.record_id AND q.attempt_id IS NOT NULL)
        """;

    internal const string LiveState = $"(CASE WHEN cr.state = 'OPEN' AND {InCall} THEN 'PROCESSING' ELSE cr.state END)";

    internal const string LiveResult = $"(CASE WHEN cr.state = 'OPEN' AND {InCall} THEN 'DIALING' ELSE cr.result END)";

    public async Task<StoredRecord?> GetRecordAsync(long tenant, string id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<RecordRow>(new CommandDefinition(
            $"SELECT {RecordColumns} FROM records r JOIN calling_lists l ON l.id = r.list_id WHERE r.tenant_id = @tenant AND r.uid = @id",
            new { tenant, id }, cancellationToken: ct));
        if (row is null) return null;
        var progress = await connection.QueryAsync<ProgressRow>(new CommandDefinition(
            $"SELECT {ProgressColumnsLive} FROM campaign_records cr JOIN campaigns c ON c.id = cr.campaign_id WHERE cr.record_id = @Serial ORDER BY c.name",
            new { row.Serial }, cancellationToken: ct));
        return new StoredRecord(row.ToRecord(), progress.Select(p => p.ToProgress()).ToList());
    }

    public async Task<bool> UpdateRecordAsync(long tenant, string id, RecordDraft draft, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        try
        {
            return await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE records SET external_id = coalesce(@ExternalId, external_id), time_zone = @TimeZone, priority = @Priority,
                    dialing_mode = @mode, preview_time = @PreviewTime, locked = @Locked, numbers = @numbers, phones = @phones,
                    attributes = @attributes, modified = @now
                WHERE tenant_id = @tenant AND uid = @id
                """, new
            {
                draft.ExternalId,
                draft.TimeZone,
                draft.Priority,
                mode = draft.DialingMode?.ToString(),
                draft.PreviewTime,
                draft.Locked,
                numbers = draft.Numbers,
                phones = draft.PhonesJson,
                attributes = draft.AttributesJson,
                now = NowMs,
                tenant,
                id,
            }, cancellationToken: ct)) == 1;
        }
        catch (SqliteException e) when (IsUniqueViolation(e))
        {
            throw new ConflictException($"externalId '{draft.ExternalId}' already exists in the list");
        }
    }

    public async Task<bool> DeleteRecordAsync(long tenant, string id, CancellationToken ct) =>
        await WriteAsync("DELETE FROM records WHERE tenant_id = @tenant AND uid = @id", new { tenant, id }, "record in use", ct) == 1;

    public async Task<IReadOnlyList<Attempt>> GetAttemptsAsync(long tenant, string recordId, CancellationToken ct)
    {
        var rows = await QueryAsync<AttemptRow>("""
            SELECT a.uid AS Id, c.uid AS CampaignId, r.uid AS RecordId, a.phone_index AS PhoneIndex, a.e164 AS NumberDialed,
                   a.started AS Started, a.answered AS Answered, a.ended AS Ended, a.result AS Result, a.ring_seconds AS RingSeconds,
                   a.talk_seconds AS TalkSeconds, a.wrap_seconds AS WrapSeconds, a.agent_id AS AgentId, a.disposition AS Disposition
            FROM attempts a JOIN records r ON r.id = a.record_id JOIN campaigns c ON c.id = a.campaign_id
            WHERE r.tenant_id = @tenant AND r.uid = @recordId ORDER BY a.started, a.id
            """, new { tenant, recordId }, ct);
        return rows.Select(a => a.ToAttempt()).ToList();
    }

    public async Task<IReadOnlyList<Attempt>> GetCampaignAttemptsAsync(long tenant, string campaignId, IReadOnlyList<long> recordNumbers, CancellationToken ct)
    {
        if (recordNumbers.Count == 0) return [];
        // By ix_attempts_record, one seek per record of the page.
        var rows = await QueryAsync<AttemptRow>("""
            SELECT a.uid AS Id, c.uid AS CampaignId, r.uid AS RecordId, a.phone_index AS PhoneIndex, a.e164 AS NumberDialed,
                   a.started AS Started, a.answered AS Answered, a.ended AS Ended, a.result AS Result, a.ring_seconds AS RingSeconds,
                   a.talk_seconds AS TalkSeconds, a.wrap_seconds AS WrapSeconds, a.agent_id AS AgentId, a.disposition AS Disposition
            FROM campaigns c JOIN attempts a ON a.campaign_id = c.id JOIN records r ON r.id = a.record_id
            WHERE c.tenant_id = @tenant AND c.uid = @campaignId AND a.record_id IN (SELECT value FROM json_each(@ids))
            ORDER BY a.record_id, a.started, a.id
            """, new { tenant, campaignId, ids = "[" + string.Join(',', recordNumbers) + "]" }, ct);
        return rows.Select(a => a.ToAttempt()).ToList();
    }

    private sealed class AttemptRow
    {
        public string Id { get; set; } = "";
        public string CampaignId { get; set; } = "";
        public string RecordId { get; set; } = "";
        public long PhoneIndex { get; set; }
        public string NumberDialed { get; set; } = "";
        public long Started { get; set; }
        public long? Answered { get; set; }
        public long? Ended { get; set; }
        public string Result { get; set; } = "";
        public double RingSeconds { get; set; }
        public double TalkSeconds { get; set; }
        public double WrapSeconds { get; set; }
        public string? AgentId { get; set; }
        public string? Disposition { get; set; }

        public Attempt ToAttempt() => new()
        {
            Id = Id,
            CampaignId = CampaignId,
            RecordId = RecordId,
            PhoneIndex = (int)PhoneIndex,
            NumberDialed = NumberDialed,
            Started = FromMs(Started)!.Value,
            Answered = FromMs(Answered),
            Ended = FromMs(Ended),
            Result = Enum.Parse<CallResult>(Result),
            RingSeconds = RingSeconds,
            TalkSeconds = TalkSeconds,
            WrapSeconds = WrapSeconds,
            AgentId = AgentId,
            Disposition = Disposition,
        };
    }
}
