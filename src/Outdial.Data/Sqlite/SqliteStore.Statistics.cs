using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Statistics;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    public async Task AddAttemptAsync(long tenant, Attempt attempt, decimal? amount, string? classifier, bool agentLogout, CancellationToken ct)
    {
        var affected = await WriteAsync("""
            INSERT INTO attempts (uid, tenant_id, campaign_id, record_id, phone_index, e164, started, answered, ended, result,
                                  ring_seconds, talk_seconds, wrap_seconds, agent_id, disposition, amount, classifier, agent_logout)
            SELECT @Id, @tenant, c.id, r.id, @PhoneIndex, @NumberDialed, @started, @answered, @ended, @result,
                   @RingSeconds, @TalkSeconds, @WrapSeconds, @AgentId, @Disposition, @amount, @classifier, @agentLogout
            FROM campaigns c, records r
            WHERE c.tenant_id = @tenant AND c.uid = @CampaignId AND r.tenant_id = @tenant AND r.uid = @RecordId
            """, new
        {
            attempt.Id,
            tenant,
            attempt.PhoneIndex,
            attempt.NumberDialed,
            started = ToMs(attempt.Started),
            answered = ToMs(attempt.Answered),
            ended = ToMs(attempt.Ended),
            result = attempt.Result.ToString(),
            attempt.RingSeconds,
            attempt.TalkSeconds,
            attempt.WrapSeconds,
            attempt.AgentId,
            attempt.Disposition,
            amount = (double?)amount,
            classifier,
            agentLogout = agentLogout ? 1 : 0,
            attempt.CampaignId,
            attempt.RecordId,
        }, "attempt already recorded", ct);
        if (affected == 0) throw new ReferenceNotFoundException($"campaign '{attempt.CampaignId}' or record '{attempt.RecordId}' does not exist");
    }

    public async Task<StatisticsCounters?> GetStatisticsAsync(long tenant, string campaignId, DateTimeOffset from, DateTimeOffset to, string? agentId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await _reads.RentAsync(ct);
        var campaign = await connection.ScalarAsync<long?>(CampaignIdSql, new { tenant, campaignId }, ct);
        if (campaign is null) return null;
        // An agent deleted since still has its history here (its time, its calls). The campaign's attempts are read only
        // when neither finds it (a range of the campaign's attempts, without an index by agent).
        if (agentId is not null && await connection.ScalarAsync<long>("""
                SELECT EXISTS (SELECT 1 FROM agents WHERE tenant_id = @tenant AND uid = @agentId)
                    OR EXISTS (SELECT 1 FROM agent_intervals WHERE agent_uid = @agentId AND tenant_id = @tenant)
                    OR EXISTS (SELECT 1 FROM attempts WHERE campaign_id = @campaign AND agent_id = @agentId)
                """, new { tenant, agentId, campaign }, ct) == 0)
            return null;
        return await CountersAsync(connection, campaign.Value, agentId, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), ct);
    }

    /// <param name="agentUid">Filter by agent (id32, also of an agent deleted since); "" for the calls without agent (no agent
    /// time); null for the whole campaign.</param>
    /// <param name="customers">The campaign's customers for the period when the caller already counted them (they do not
    /// depend on the agent).</param>
    /// <param name="tallies">The campaign's tallies for the period when the caller already read them.</param>
    /// <param name="agentTime">The campaign's agent time for the period (every agent) when the caller already read it.</param>
    private static async Task<StatisticsCounters> CountersAsync(ReadConnections.Lease connection, long campaign, string? agentUid, long from, long to, long now, CancellationToken ct,
        long? customers = null, List<CallTally>? tallies = null, List<AgentTime>? agentTime = null)
    {
        // Handled: closed in the period; for one agent (or none), those whose closing attempt (their last) was that agent's,
        // so the rows of /statistics add up to the campaign's handled customers. Not dialed: OBI's example is an invalid
        // number, which the network reports here as INVALID_NUMBER.
        var calls = Sum(tallies ?? await TalliesAsync(connection, campaign, from, to, now, ct), agentUid);
        // Agents' time: none for the calls without agent.
        var time = agentUid == "" ? [] : agentTime?.Where(t => agentUid is null || t.AgentUid == agentUid).ToList()
            ?? await AgentTimeAsync(connection, campaign, agentUid, from, to, now, ct);
        var times = time.GroupBy(t => t.State).ToDictionary(g => Enum.Parse<AgentState>(g.Key), g => g.Sum(t => t.Ms) / 1000.0);
        var agents = time.Select(t => t.AgentUid).Distinct().LongCount();
        customers ??= await CustomersAsync(connection, campaign, to, now, ct);
        double Time(AgentState s) => times.TryGetValue(s, out var v) ? v : 0;
        return new StatisticsCounters
        {
            NumberOfHandledCustomers = calls.Handled,
            NumberOfCalls = calls.Calls,
            NumberOfSuccessfulCalls = calls.Successful,
            NumberOfRefusalCalls = calls.Refusal,
            NumberOfAmountCalls = calls.AmountCalls,
            NumberOfSkipCalls = calls.Skip,
            NumberOfRejectCalls = calls.Reject,
            NumberOfOperLogoutCalls = calls.OperLogout,
            NumberOfNotDialedCalls = calls.NotDialed,
            NumberOfHangupCalls = calls.Hangup,
            NumberOfAbandonedCalls = calls.Abandoned,
            Amount = calls.Amount,
            LoginTime = times.Values.Sum(),
            PauseTime = Time(AgentState.Paused),
            WaitTime = Time(AgentState.Ready),
            PreviewTime = Time(AgentState.Preview),
            CallTime = Time(AgentState.Dialing),
            TalkingTime = Time(AgentState.Talking),
            WrapTime = Time(AgentState.WrapUp),
            NumberOfCustomers = customers.Value,
            NumberOfAgents = agents,
        };
    }

    /// <summary>Customers created before the period's end: every one when the period ends after now (the tallies), else a
    /// scan (an index on records' creation time, to count those created since, cost imports about 10 % of their speed).</summary>
    private static Task<long> CustomersAsync(ReadConnections.Lease connection, long campaign, long to, long now, CancellationToken ct) =>
        connection.ScalarAsync<long>(to > now
            ? "SELECT coalesce(sum(n), 0) FROM campaign_tallies WHERE campaign_id = @campaign"
            : "SELECT count(*) FROM campaign_records cr JOIN records r ON r.id = cr.record_id WHERE cr.campaign_id = @campaign AND r.created < @to",
            new { campaign, to }, ct);

    public async Task<IReadOnlyList<AgentStatistics>> GetAgentStatisticsAsync(long tenant, DateTimeOffset from, DateTimeOffset to, string? campaignId, string? agentId, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await _reads.RentAsync(ct);
        var args = new { tenant, from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds(), campaignId, agentId };
        // Every (campaign, agent) pair with work in the period: calls (agent may be none) or agent time. Attempts and
        // intervals keep the id of an agent deleted since (its calls and time stay its own, without a name).
        var campaigns = await connection.QueryAsync<(long Id, string Uid, string Name)>(
            "SELECT id, uid, name FROM campaigns WHERE tenant_id = @tenant AND (@campaignId IS NULL OR uid = @campaignId)", args, ct);
        var names = (await connection.QueryAsync<(string Uid, string Name)>(
            "SELECT uid, name FROM agents WHERE tenant_id = @tenant", args, ct)).ToDictionary(a => a.Uid, a => a.Name);
        var rows = new List<(string CampaignName, string? AgentName, string? AgentUid, AgentStatistics Row)>();
        foreach (var c in campaigns)
        {
            var tallies = await TalliesAsync(connection, c.Id, args.from, args.to, args.now, ct);
            var time = await AgentTimeAsync(connection, c.Id, null, args.from, args.to, args.now, ct);
            var agents = tallies.Where(t => t.Calls != 0).Select(t => CallTally.AgentOf(t.Agent)).Union(time.Select(t => t.AgentUid))
                .Where(a => agentId is null || a == agentId).ToList();
            if (agents.Count == 0) continue;
            var customers = await CustomersAsync(connection, c.Id, args.to, args.now, ct); // the same for each of its agents
            foreach (var agent in agents)
            {
                var counters = await CountersAsync(connection, c.Id, agent ?? "", args.from, args.to, args.now, ct, customers, tallies, time);
                var name = agent is null ? null : names.GetValueOrDefault(agent);
                rows.Add((c.Name, name, agent, new AgentStatistics(c.Uid, c.Name, agent, name, counters)));
            }
        }
        // As SQLite orders text (binary, NULL first): by campaign name, agent name, agent id.
        return rows.OrderBy(r => r.CampaignName, StringComparer.Ordinal).ThenBy(r => r.AgentName, StringComparer.Ordinal)
            .ThenBy(r => r.AgentUid, StringComparer.Ordinal).Select(r => r.Row).ToList();
    }

    public async Task<CampaignCounts?> GetCampaignCountsAsync(long tenant, string campaignId, DateTimeOffset now, CancellationToken ct)
    {
        // Prepared statements (a campaign's counts are read on every OBI campaign GET; preparing them was most of its cost),
        // in one snapshot: the counts below come from several statements (a finish between two of them would count a record
        // twice or not at all).
        await using var connection = await _reads.RentAsync(ct);
        await connection.BeginSnapshotAsync(ct);
        var campaign = await connection.ScalarAsync<long?>(CampaignIdSql, new { tenant, campaignId }, ct);
        if (campaign is null) return null;
        // Callable: the calls budget is the campaign's current RetryCount, as Callability judges it, not the MAXCALLS result
        // stored when it was spent: raising RetryCount makes such customers callable again (OBI), lowering it stops others.
        // Read from the tallies (0014), then the few locked or scheduled-later rows are taken off by their indexes.
        var args = new { campaign, now = now.ToUnixTimeMilliseconds(), never = NeverMs };
        var t = (await connection.QueryAsync<(long Total, long Handled, long MaxCalls, long WithinBudget)>("""
            SELECT coalesce(sum(t.n), 0),
                   coalesce(sum(CASE WHEN t.state = 'CLOSED' THEN t.n END), 0),
                   coalesce(sum(CASE WHEN t.state <> 'CLOSED' AND t.result = '=MAXCALLS' THEN t.n END), 0),
                   coalesce(sum(CASE WHEN t.state <> 'CLOSED' AND (t.recall = 1 OR t.call_count < max(0, c.retry_count) + 1) THEN t.n END), 0)
            FROM campaign_tallies t JOIN campaigns c ON c.id = t.campaign_id
            WHERE t.campaign_id = @campaign
            """, args, ct))[0];
        // Locked: all of them for filtered; those callable but for the lock and not scheduled later, for callable.
        // CROSS JOIN keeps the few locked records first: otherwise SQLite walks every progress row of the campaign by
        // ix_campaign_records_campaign (0017) and looks each record up (64 ms at 100,000 records instead of 0.1).
        var locked = (await connection.QueryAsync<(long Open, long WithinBudget)>("""
            SELECT count(*),
                   coalesce(sum((cr.app_state = 'RECALL' OR cr.call_count < max(0, c.retry_count) + 1)
                                AND (cr.scheduled_at IS NULL OR cr.scheduled_at <= @now)), 0)
            FROM records r CROSS JOIN campaign_records cr CROSS JOIN campaigns c
            WHERE cr.record_id = r.id AND cr.campaign_id = @campaign AND c.id = cr.campaign_id
              AND r.list_id IN (SELECT list_id FROM campaign_lists WHERE campaign_id = @campaign) AND r.locked <> 0 AND cr.state <> 'CLOSED'
            """, args, ct))[0];
        // Scheduled later, locked or not (the locked ones are not in the count above): the covering index alone.
        var later = await connection.ScalarAsync<long>("""
            SELECT count(*) FROM campaign_records cr
            WHERE cr.campaign_id = @campaign AND cr.scheduled_at > @now AND cr.state <> 'CLOSED'
              AND (cr.app_state = 'RECALL' OR cr.call_count < (SELECT max(0, retry_count) + 1 FROM campaigns WHERE id = @campaign))
            """, args, ct);
        var c = (t.Total, t.Handled, t.MaxCalls, Filtered: locked.Open, Callable: t.WithinBudget - locked.WithinBudget - later);
        // Nor those the dialer found blocked for good (only invalid numbers, do-not-call without expiry, per-number caps
        // spent: parked as "never" in the pick queue until a change of data re-evaluates them), nor those in a call.
        // Both are read from the queue's indexes and taken off, rather than looked up for every record of the campaign
        // (named: without statistics SQLite reads the queue by its key, every row of the campaign, 1 s at 1,000,000).
        var notNow = 0L;
        foreach (var (lane, priority) in await QueueGroupsAsync(connection, campaign.Value, ct))
            notNow += await connection.ScalarAsync<long>($"""
                SELECT count(*) FROM pick_queue q INDEXED BY ix_pick_queue_due
                JOIN campaign_records cr ON cr.record_id = q.record_id AND cr.campaign_id = q.campaign_id
                JOIN records r ON r.id = cr.record_id JOIN campaigns c ON c.id = cr.campaign_id
                WHERE q.campaign_id = @campaign AND q.lane = @lane AND q.priority = @priority AND q.due = @never AND q.attempt_id IS NULL
                  AND {CallableCondition}
                """, new { args.campaign, args.now, args.never, lane, priority }, ct);
        notNow += await connection.ScalarAsync<long>($"""
            SELECT count(*) FROM pick_queue q INDEXED BY ix_pick_queue_in_call
            JOIN campaign_records cr ON cr.record_id = q.record_id AND cr.campaign_id = q.campaign_id
            JOIN records r ON r.id = cr.record_id JOIN campaigns c ON c.id = cr.campaign_id
            WHERE q.campaign_id = @campaign AND q.attempt_id IS NOT NULL AND {CallableCondition}
            """, args, ct);
        return new CampaignCounts(c.Total, c.Handled, c.Total - c.Handled, c.Callable - notNow, c.MaxCalls, c.Filtered);
    }

    private const string CampaignIdSql = "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId";

    /// <summary>Open, not locked, within the campaign's RetryCount (or a callback), not scheduled later.</summary>
    private const string CallableCondition = """
        (cr.state <> 'CLOSED' AND r.locked = 0 AND (cr.app_state = 'RECALL' OR cr.call_count < max(0, c.retry_count) + 1)
         AND (cr.scheduled_at IS NULL OR cr.scheduled_at <= @now))
        """;

    private const string NextQueueGroupSql =
        "SELECT priority FROM pick_queue WHERE campaign_id = @campaign AND lane = @lane AND priority < @below ORDER BY priority DESC LIMIT 1";

    /// <summary>The (lane, priority) groups of a campaign's pick queue: a skip-scan, one seek per group.</summary>
    private static Task<List<(long Lane, long Priority)>> QueueGroupsAsync(SqliteConnection connection, long campaign, CancellationToken ct, SqliteTransaction? tx = null) =>
        QueueGroupsAsync(campaign, args => connection.ExecuteScalarAsync<long?>(new CommandDefinition(NextQueueGroupSql, args, tx, cancellationToken: ct)));

    private static Task<List<(long Lane, long Priority)>> QueueGroupsAsync(ReadConnections.Lease connection, long campaign, CancellationToken ct) =>
        QueueGroupsAsync(campaign, args => connection.ScalarAsync<long?>(NextQueueGroupSql, args, ct));

    private static async Task<List<(long Lane, long Priority)>> QueueGroupsAsync(long campaign, Func<object, Task<long?>> nextBelow)
    {
        var groups = new List<(long, long)>();
        for (var lane = 0L; lane <= 1; lane++)
        {
            var below = long.MaxValue;
            while (await nextBelow(new { campaign, lane, below }) is { } priority)
            {
                groups.Add((lane, priority));
                below = priority;
            }
        }
        return groups;
    }

    /// <summary>An attempt (alias a) a person answered: answered, and not by a machine or fax. The abandon rate's
    /// denominator, here and in the pacing history a dialer reads back.</summary>
    internal const string AnsweredByPerson = "a.answered IS NOT NULL AND a.result NOT IN ('ANSWERING_MACHINE', 'FAX')";

    public async Task<AbandonRate> GetAbandonRateAsync(long tenant, string campaignId, TimeSpan window, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await _reads.RentAsync(ct);
        var campaign = await connection.ScalarAsync<long?>(CampaignIdSql, new { tenant, campaignId }, ct);
        if (campaign is null) return new AbandonRate(0, 0);
        // Every attempt started since now - window (none is answered while it is dialing).
        var nowMs = now.ToUnixTimeMilliseconds();
        var sum = Sum(await TalliesAsync(connection, campaign.Value, (now - window).ToUnixTimeMilliseconds(), EndOfTimeMs, nowMs, ct, abandonsOnly: true), null);
        return new AbandonRate(sum.Abandoned, sum.AnsweredByPerson);
    }

    public async Task<IReadOnlyList<ResultStatistics>> GetResultStatisticsAsync(long tenant, string campaignId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = connection.BeginTransaction(deferred: true); // the tallies and the calls in one snapshot
        var args = new { tenant, campaignId };
        // From the tallies (0014): '' is NULL, '=' || value a value.
        var groups = (await connection.QueryAsync<(string Result, string? CallResult, string? Classifier, long Count)>(new CommandDefinition("""
            SELECT substr(t.result, 2), CASE WHEN t.call_result = '' THEN NULL ELSE substr(t.call_result, 2) END,
                   CASE WHEN t.classifier = '' THEN NULL ELSE substr(t.classifier, 2) END, sum(t.n)
            FROM campaign_tallies t
            WHERE t.campaign_id = (SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId) AND t.result <> ''
            GROUP BY t.result, t.call_result, t.classifier
            HAVING sum(t.n) > 0
            """, args, tx, cancellationToken: ct))).ToDictionary(g => (g.Result, g.CallResult, g.Classifier), g => g.Count);
        // Customers in a call count under DIALING (OBI), not their stored result: the few rows of the in-call index.
        var inCall = await connection.QueryAsync<(string? Result, string? CallResult, string? Classifier)>(new CommandDefinition("""
            SELECT cr.result, cr.call_result, cr.classifier FROM pick_queue q INDEXED BY ix_pick_queue_in_call
            JOIN campaign_records cr ON cr.record_id = q.record_id AND cr.campaign_id = q.campaign_id
            WHERE q.campaign_id = (SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId) AND q.attempt_id IS NOT NULL
              AND cr.state = 'OPEN'
            """, args, tx, cancellationToken: ct));
        foreach (var (result, callResult, classifier) in inCall)
        {
            if (result is not null && groups.TryGetValue((result, callResult, classifier), out var n))
                groups[(result, callResult, classifier)] = n - 1;
            var dialing = ("DIALING", callResult, classifier);
            groups[dialing] = groups.GetValueOrDefault(dialing) + 1;
        }
        return groups.Where(g => g.Value > 0)
            .OrderBy(g => g.Key.Item1, StringComparer.Ordinal).ThenBy(g => g.Key.Item2, StringComparer.Ordinal).ThenBy(g => g.Key.Item3, StringComparer.Ordinal)
            .Select(g => new ResultStatistics(g.Key.Item1, g.Key.Item2, g.Key.Item3, g.Value)).ToList();
    }
}
