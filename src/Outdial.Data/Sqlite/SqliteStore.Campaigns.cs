using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    internal static readonly JsonSerializerOptions StoreJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private const string CampaignSelect = """
        SELECT c.uid AS Id, c.name AS Name, c.remarks AS Remarks, c.dialer_type AS DialerType, c.dialing_mode AS DialingMode,
               c.status AS Status, c.dialer_status AS DialerStatus, q.uid AS QueueId, c.custom_ivr_number AS CustomIvrNumber,
               c.start_date AS StartDate, c.end_date AS EndDate, c.time_zone AS TimeZone, c.abandon_rate AS AbandonRate,
               c.increase_predictive_ratio AS IncreasePredictiveRatio, c.registered AS Registered, c.modified AS Modified,
               c.retry_count AS RetryCount, c.window_start AS WindowStart, c.window_end AS WindowEnd, c.caller_id AS CallerId,
               c.default_region AS DefaultRegion, c.max_attempts_per_number AS MaxAttemptsPerNumber,
               c.max_attempts_per_day AS MaxAttemptsPerDay, c.rolling_cap_calls AS RollingCapCalls,
               c.rolling_cap_hours AS RollingCapHours, c.no_redial_after_abandon_hours AS NoRedialAfterAbandonHours,
               c.rules AS Rules, l.uid AS DefaultListId, c.id AS Number
        FROM campaigns c
        LEFT JOIN queues q ON q.id = c.queue_id
        LEFT JOIN calling_lists l ON l.id = c.default_list_id
        """;

    private sealed class CampaignRow
    {
        public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Remarks { get; set; }
        public string DialerType { get; set; } = "";
        public string DialingMode { get; set; } = "";
        public string Status { get; set; } = "";
        public string DialerStatus { get; set; } = "";
        public string? QueueId { get; set; }
        public string? CustomIvrNumber { get; set; }
        public long? StartDate { get; set; }
        public long? EndDate { get; set; }
        public string? TimeZone { get; set; }
        public double AbandonRate { get; set; }
        public double IncreasePredictiveRatio { get; set; }
        public long Registered { get; set; }
        public long Modified { get; set; }
        public long RetryCount { get; set; }
        public string WindowStart { get; set; } = "";
        public string WindowEnd { get; set; } = "";
        public string? CallerId { get; set; }
        public string? DefaultRegion { get; set; }
        public long? MaxAttemptsPerNumber { get; set; }
        public long? MaxAttemptsPerDay { get; set; }
        public long? RollingCapCalls { get; set; }
        public long? RollingCapHours { get; set; }
        public long NoRedialAfterAbandonHours { get; set; }
        public string Rules { get; set; } = "{}";
        public string? DefaultListId { get; set; }
        public long Number { get; set; }
        public string? ListIds { get; set; }

        public CampaignWithLists ToCampaignWithLists() => new(ToCampaign(), ListIds is { Length: > 0 } ids ? ids.Split(',') : []);

        public Campaign ToCampaign() => new()
        {
            Id = Id,
            Number = Number,
            Name = Name,
            Remarks = Remarks,
            DialerType = Enum.Parse<DialerType>(DialerType),
            DialingMode = Enum.Parse<DialingMode>(DialingMode),
            Status = Enum.Parse<CampaignStatus>(Status),
            DialerStatus = Enum.Parse<DialerStatus>(DialerStatus),
            QueueId = QueueId,
            CustomIvrNumber = CustomIvrNumber,
            StartDate = FromMs(StartDate),
            EndDate = FromMs(EndDate),
            TimeZone = TimeZone,
            AbandonRate = AbandonRate,
            IncreasePredictiveRatio = IncreasePredictiveRatio,
            Registered = FromMs(Registered)!.Value,
            Modified = FromMs(Modified)!.Value,
            RetryCount = (int)RetryCount,
            CallingWindow = new CallingWindow(TimeOnly.Parse(WindowStart, CultureInfo.InvariantCulture), TimeOnly.Parse(WindowEnd, CultureInfo.InvariantCulture)),
            CallerId = CallerId,
            DefaultRegion = DefaultRegion,
            MaxAttemptsPerNumber = (int?)MaxAttemptsPerNumber,
            MaxAttemptsPerDay = (int?)MaxAttemptsPerDay,
            RollingCapCalls = (int?)RollingCapCalls,
            RollingCapHours = (int?)RollingCapHours,
            NoRedialAfterAbandonHours = (int)NoRedialAfterAbandonHours,
            Rules = ParseRules(Rules),
            DefaultListId = DefaultListId,
        };
    }

    // Rules change rarely and are immutable once read: parsing the same JSON on every campaign read was a sixth of a GET.
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<CallResult, ResultRule>> RulesByJson = new(StringComparer.Ordinal);

    private static IReadOnlyDictionary<CallResult, ResultRule> ParseRules(string json)
    {
        if (RulesByJson.TryGetValue(json, out var rules)) return rules;
        if (RulesByJson.Count >= 1024) RulesByJson.Clear();
        rules = JsonSerializer.Deserialize<Dictionary<CallResult, ResultRule>>(json, StoreJson)!.AsReadOnly();
        RulesByJson[json] = rules;
        return rules;
    }

    private static object CampaignArgs(long tenant, Campaign c) => new
    {
        tenant,
        c.Id,
        c.Name,
        c.Remarks,
        DialerType = c.DialerType.ToString(),
        DialingMode = c.DialingMode.ToString(),
        Status = c.Status.ToString(),
        DialerStatus = c.DialerStatus.ToString(),
        c.QueueId,
        c.CustomIvrNumber,
        StartDate = ToMs(c.StartDate),
        EndDate = ToMs(c.EndDate),
        c.TimeZone,
        c.AbandonRate,
        c.IncreasePredictiveRatio,
        Registered = ToMs(c.Registered),
        Modified = ToMs(c.Modified),
        c.RetryCount,
        WindowStart = c.CallingWindow.Start.ToString("HH:mm", CultureInfo.InvariantCulture),
        WindowEnd = c.CallingWindow.End.ToString("HH:mm", CultureInfo.InvariantCulture),
        c.CallerId,
        c.DefaultRegion,
        c.MaxAttemptsPerNumber,
        c.MaxAttemptsPerDay,
        c.RollingCapCalls,
        c.RollingCapHours,
        c.NoRedialAfterAbandonHours,
        Rules = JsonSerializer.Serialize(c.Rules, StoreJson),
    };

    public async Task<IReadOnlyList<Campaign>> ListCampaignsAsync(long tenant, CancellationToken ct) =>
        (await QueryAsync<CampaignRow>($"{CampaignSelect} WHERE c.tenant_id = @tenant ORDER BY c.name", new { tenant }, ct)).Select(r => r.ToCampaign()).ToList();

    private sealed class TenantCampaignRow
    {
        public long TenantId { get; set; }
    }

    public async Task<IReadOnlyList<TenantCampaign>> ListDialedCampaignsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var rows = await connection.QueryAsync<TenantCampaignRow, CampaignRow, TenantCampaign>(new CommandDefinition(
            CampaignSelect.Replace("SELECT c.uid AS Id", "SELECT c.tenant_id AS TenantId, c.uid AS Id", StringComparison.Ordinal)
            + " WHERE c.status IN ('Active', 'Handled') ORDER BY c.tenant_id, c.name", cancellationToken: ct),
            (t, c) => new TenantCampaign(t.TenantId, c.ToCampaign()), splitOn: "Id");
        return rows.AsList();
    }

    public async Task<Campaign?> GetCampaignAsync(long tenant, string id, CancellationToken ct)
    {
        await using var connection = await _reads.RentAsync(ct);
        return (await connection.QueryAsync<CampaignRow>(CampaignByIdSql, new { tenant, id }, ct)).SingleOrDefault()?.ToCampaign();
    }

    private const string CampaignByIdSql = $"{CampaignSelect} WHERE c.tenant_id = @tenant AND c.uid = @id";

    // The lists feeding a campaign as one column (uids are hex: no commas), in GetCampaignListIdsAsync's order.
    private const string ListIdsColumn = """
        (SELECT group_concat(fl.uid, ',' ORDER BY fl.id = c.default_list_id DESC, fl.name)
         FROM campaign_lists fcl JOIN calling_lists fl ON fl.id = fcl.list_id WHERE fcl.campaign_id = c.id) AS ListIds
        """;

    private static readonly string CampaignWithListsSelect =
        CampaignSelect.Replace(" AS DefaultListId", " AS DefaultListId, " + ListIdsColumn, StringComparison.Ordinal);

    private static readonly string CampaignWithListsByIdSql = $"{CampaignWithListsSelect} WHERE c.tenant_id = @tenant AND c.uid = @id";

    public async Task<CampaignWithLists?> GetCampaignWithListsAsync(long tenant, string id, CancellationToken ct)
    {
        await using var connection = await _reads.RentAsync(ct);
        return (await connection.QueryAsync<CampaignRow>(CampaignWithListsByIdSql, new { tenant, id }, ct)).SingleOrDefault()?.ToCampaignWithLists();
    }

    private static readonly string CampaignsWithListsSql = $"{CampaignWithListsSelect} WHERE c.tenant_id = @tenant ORDER BY c.name";

    public async Task<IReadOnlyList<CampaignWithLists>> ListCampaignsWithListsAsync(long tenant, CancellationToken ct)
    {
        await using var connection = await _reads.RentAsync(ct);
        return (await connection.QueryAsync<CampaignRow>(CampaignsWithListsSql, new { tenant }, ct)).Select(r => r.ToCampaignWithLists()).ToList();
    }

    public async Task<Campaign?> GetCampaignByNameAsync(long tenant, string name, CancellationToken ct) =>
        (await QueryAsync<CampaignRow>($"{CampaignSelect} WHERE c.tenant_id = @tenant AND c.name = @name", new { tenant, name }, ct)).SingleOrDefault()?.ToCampaign();

    private static DynamicParameters WithListId(object args, long listId)
    {
        var parameters = new DynamicParameters(args);
        parameters.Add("listId", listId);
        return parameters;
    }

    private const string QueueRef = "(SELECT id FROM queues WHERE tenant_id = @tenant AND uid = @QueueId)";

    public async Task<Campaign> CreateCampaignAsync(long tenant, Campaign campaign, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            await EnsureQueueAsync(connection, tx, tenant, campaign.QueueId, ct);
            var listName = campaign.Name;
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT count(*) FROM calling_lists WHERE tenant_id = @tenant AND name = @listName", new { tenant, listName }, tx, cancellationToken: ct)) > 0)
                listName = $"{campaign.Name} ({campaign.Id[..8]})";
            var listUid = Id32.New();
            var listId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO calling_lists (uid, tenant_id, name, default_region, created) VALUES (@listUid, @tenant, @listName, @DefaultRegion, @now) RETURNING id",
                new { listUid, tenant, listName, campaign.DefaultRegion, now = NowMs }, tx, cancellationToken: ct));
            var campaignId = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"""
                INSERT INTO campaigns (uid, tenant_id, name, remarks, dialer_type, dialing_mode, status, dialer_status, queue_id,
                    custom_ivr_number, start_date, end_date, time_zone, abandon_rate, increase_predictive_ratio, registered, modified,
                    retry_count, window_start, window_end, caller_id, default_region, max_attempts_per_number, max_attempts_per_day,
                    rolling_cap_calls, rolling_cap_hours, no_redial_after_abandon_hours, rules, default_list_id)
                VALUES (@Id, @tenant, @Name, @Remarks, @DialerType, @DialingMode, @Status, @DialerStatus, {QueueRef},
                    @CustomIvrNumber, @StartDate, @EndDate, @TimeZone, @AbandonRate, @IncreasePredictiveRatio, @Registered, @Modified,
                    @RetryCount, @WindowStart, @WindowEnd, @CallerId, @DefaultRegion, @MaxAttemptsPerNumber, @MaxAttemptsPerDay,
                    @RollingCapCalls, @RollingCapHours, @NoRedialAfterAbandonHours, @Rules, @listId)
                RETURNING id
                """, WithListId(CampaignArgs(tenant, campaign), listId), tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO campaign_lists (campaign_id, list_id) VALUES (@campaignId, @listId)", new { campaignId, listId }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return campaign with { DefaultListId = listUid, Number = campaignId };
        }
        catch (SqliteException e) when (IsUniqueViolation(e))
        {
            throw new ConflictException($"a campaign named '{campaign.Name}' already exists");
        }
    }

    private static async Task EnsureQueueAsync(SqliteConnection connection, System.Data.Common.DbTransaction tx, long tenant, string? queueId, CancellationToken ct)
    {
        if (queueId is null) return;
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM queues WHERE tenant_id = @tenant AND uid = @queueId", new { tenant, queueId }, tx, cancellationToken: ct));
        if (exists == 0) throw new ReferenceNotFoundException($"queue '{queueId}' does not exist");
    }

    public async Task<bool> UpdateCampaignAsync(long tenant, Campaign campaign, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            await EnsureQueueAsync(connection, tx, tenant, campaign.QueueId, ct);
            var before = (await connection.QuerySingleOrDefaultAsync<CampaignRow>(new CommandDefinition(
                $"{CampaignSelect} WHERE c.tenant_id = @tenant AND c.uid = @Id", new { tenant, campaign.Id }, tx, cancellationToken: ct)))?.ToCampaign();
            var changed = await connection.ExecuteAsync(new CommandDefinition($"""
                UPDATE campaigns SET name = @Name, remarks = @Remarks, dialer_type = @DialerType, dialing_mode = @DialingMode,
                    status = @Status, dialer_status = @DialerStatus, queue_id = {QueueRef}, custom_ivr_number = @CustomIvrNumber,
                    start_date = @StartDate, end_date = @EndDate, time_zone = @TimeZone, abandon_rate = @AbandonRate,
                    increase_predictive_ratio = @IncreasePredictiveRatio, modified = @Modified, retry_count = @RetryCount,
                    window_start = @WindowStart, window_end = @WindowEnd, caller_id = @CallerId, default_region = @DefaultRegion,
                    max_attempts_per_number = @MaxAttemptsPerNumber, max_attempts_per_day = @MaxAttemptsPerDay,
                    rolling_cap_calls = @RollingCapCalls, rolling_cap_hours = @RollingCapHours,
                    no_redial_after_abandon_hours = @NoRedialAfterAbandonHours, rules = @Rules
                WHERE tenant_id = @tenant AND uid = @Id
                """, CampaignArgs(tenant, campaign), tx, cancellationToken: ct));
            // Waiting records the change may make callable sooner are evaluated again at their next pick: the re-evaluation
            // is recorded with the change (a crash cannot lose it) and done in the background (RunPendingReevaluationsAsync).
            if (changed == 1 && before is not null)
            {
                var scope = InvalidationFor(before, campaign);
                var now = NowMs;
                var serial = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @Id", new { tenant, campaign.Id }, tx, cancellationToken: ct));
                if (scope == Invalidation.All)
                    await QueueReevaluationAsync(connection, tx, tenant, serial, now, null, ReasonCampaignChange, now, ct);
                else if (scope == Invalidation.WaitingForData)
                    await QueueReevaluationAsync(connection, tx, tenant, serial, NeverMs - 1, null, ReasonRetryCountRaised, now, ct);
            }
            await tx.CommitAsync(ct);
            return changed == 1;
        }
        catch (SqliteException e) when (IsUniqueViolation(e))
        {
            throw new ConflictException($"a campaign named '{campaign.Name}' already exists");
        }
    }

    private enum Invalidation { None, WaitingForData, All }

    /// <summary>
    /// Which waiting records a campaign change may make callable sooner. Stored eligibility may be too late, never too
    /// early, so a change that can only delay records (RetryCount lowered) or does not concern eligibility (name, queue,
    /// pacing, rules for future results) needs none; RetryCount raised only frees records stored as "never" (MAXCALLS).
    /// </summary>
    private static Invalidation InvalidationFor(Campaign before, Campaign after)
    {
        if (before.Status != after.Status || before.StartDate != after.StartDate || before.EndDate != after.EndDate
            || before.CallingWindow != after.CallingWindow || before.TimeZone != after.TimeZone
            || before.MaxAttemptsPerNumber != after.MaxAttemptsPerNumber || before.MaxAttemptsPerDay != after.MaxAttemptsPerDay
            || before.RollingCapCalls != after.RollingCapCalls || before.RollingCapHours != after.RollingCapHours
            || before.NoRedialAfterAbandonHours != after.NoRedialAfterAbandonHours)
            return Invalidation.All;
        return after.RetryCount > before.RetryCount ? Invalidation.WaitingForData : Invalidation.None;
    }

    public Task SetIncreasePredictiveRatioAsync(long tenant, string campaignId, double ratio, CancellationToken ct) =>
        WriteAsync("UPDATE campaigns SET increase_predictive_ratio = @ratio WHERE tenant_id = @tenant AND uid = @campaignId",
            new { ratio, tenant, campaignId }, "", ct);

    public async Task<bool> DeleteCampaignAsync(long tenant, string id, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, long? ListId)?>(new CommandDefinition(
            "SELECT id, default_list_id FROM campaigns WHERE tenant_id = @tenant AND uid = @id", new { tenant, id }, tx, cancellationToken: ct));
        if (row is not { } campaign) return false;
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM campaigns WHERE id = @Id", new { campaign.Id }, tx, cancellationToken: ct));
        // The default list goes with its campaign unless another campaign still reads it.
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM calling_lists WHERE id = @ListId AND NOT EXISTS (SELECT 1 FROM campaign_lists WHERE list_id = @ListId)",
            new { campaign.ListId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyList<string>> GetCampaignListIdsAsync(long tenant, string campaignId, CancellationToken ct)
    {
        await using var connection = await _reads.RentAsync(ct);
        return await connection.QueryAsync<string>("""
            SELECT l.uid FROM campaigns c JOIN campaign_lists cl ON cl.campaign_id = c.id JOIN calling_lists l ON l.id = cl.list_id
            WHERE c.tenant_id = @tenant AND c.uid = @campaignId ORDER BY l.id = c.default_list_id DESC, l.name
            """, new { tenant, campaignId }, ct);
    }

    public async Task<bool> AttachListAsync(long tenant, string campaignId, string listId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ids = await connection.QuerySingleOrDefaultAsync<(long CampaignId, long ListId)?>(new CommandDefinition("""
            SELECT c.id, l.id FROM campaigns c, calling_lists l
            WHERE c.tenant_id = @tenant AND c.uid = @campaignId AND l.tenant_id = @tenant AND l.uid = @listId
            """, new { tenant, campaignId, listId }, tx, cancellationToken: ct));
        if (ids is not { } pair) return false;
        var clash = await connection.QueryFirstOrDefaultAsync<string?>(new CommandDefinition("""
            SELECT r.external_id FROM records r
            WHERE r.list_id = @ListId AND EXISTS (
                SELECT 1 FROM campaign_lists cl JOIN records o ON o.list_id = cl.list_id
                WHERE cl.campaign_id = @CampaignId AND cl.list_id <> @ListId AND o.external_id = r.external_id)
            LIMIT 1
            """, new { pair.CampaignId, pair.ListId }, tx, cancellationToken: ct));
        if (clash is not null) throw new ConflictException($"externalId '{clash}' of the list already exists in the campaign");
        var added = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO campaign_lists (campaign_id, list_id) VALUES (@CampaignId, @ListId) ON CONFLICT DO NOTHING",
            new { pair.CampaignId, pair.ListId }, tx, cancellationToken: ct));
        if (added == 1)
        {
            var inserted = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO campaign_records (campaign_id, record_id, modified, priority)
                SELECT @CampaignId, id, @now, priority FROM records WHERE list_id = @ListId
                """, new { pair.CampaignId, pair.ListId, now = NowMs }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(TallyNewProgress, new { campaign = pair.CampaignId, n = inserted }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                QueueNewProgress("campaign_id = @CampaignId AND record_id IN (SELECT id FROM records WHERE list_id = @ListId)"),
                new { pair.CampaignId, pair.ListId }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<bool> DetachListAsync(long tenant, string campaignId, string listId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var ids = await connection.QuerySingleOrDefaultAsync<(long CampaignId, long ListId, long? DefaultListId)?>(new CommandDefinition("""
            SELECT c.id, l.id, c.default_list_id FROM campaigns c JOIN campaign_lists cl ON cl.campaign_id = c.id JOIN calling_lists l ON l.id = cl.list_id
            WHERE c.tenant_id = @tenant AND c.uid = @campaignId AND l.uid = @listId
            """, new { tenant, campaignId, listId }, tx, cancellationToken: ct));
        if (ids is not { } pair) return false;
        if (pair.ListId == pair.DefaultListId) throw new ConflictException("the campaign's default list cannot be detached");
        // A record in a call (or handed to a dialer or agent) keeps its lease: detaching would drop it, and re-attaching the
        // list would let a second dialer dial the record while the first call goes on.
        var leased = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT count(*) FROM pick_queue q JOIN records r ON r.id = q.record_id
            WHERE q.campaign_id = @CampaignId AND r.list_id = @ListId AND q.lease_owner IS NOT NULL AND q.due > @now
            """, new { pair.CampaignId, pair.ListId, now = NowMs }, tx, cancellationToken: ct));
        if (leased > 0)
            throw new ConflictException($"{leased} records of this list are leased to a dialer or an agent (in a call or a preview): set the campaign Passive and detach when they are done");
        // Expired leases may still hold the attempts of dialers that were gone: closed as NOT_DIALED at the lease's end, not
        // left DIALING when their queue rows go with the progress rows.
        await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE attempts SET result = 'NOT_DIALED', ended = q.due, disposition = '{LeaseExpiredDisposition}'
            FROM pick_queue q JOIN records r ON r.id = q.record_id
            WHERE q.campaign_id = @CampaignId AND r.list_id = @ListId AND q.attempt_id = attempts.id AND attempts.result = 'DIALING'
            """, new { pair.CampaignId, pair.ListId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM campaign_records WHERE campaign_id = @CampaignId AND record_id IN (SELECT id FROM records WHERE list_id = @ListId)",
            new { pair.CampaignId, pair.ListId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM campaign_lists WHERE campaign_id = @CampaignId AND list_id = @ListId", new { pair.CampaignId, pair.ListId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }
}
