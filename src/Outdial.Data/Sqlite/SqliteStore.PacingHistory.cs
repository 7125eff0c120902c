using Dapper;
using Outdial.Engine.Pacing;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    public async Task<PacingHistory> GetPacingHistoryAsync(long tenant, string campaignId, DateTimeOffset since, int calls, int services, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var tx = connection.BeginTransaction(deferred: true); // the three reads in one snapshot
        var campaign = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId", new { tenant, campaignId }, tx, cancellationToken: ct));
        if (campaign is null) return PacingHistory.Empty;
        var args = new { campaign, since = since.ToUnixTimeMilliseconds(), calls, services };
        // Answered by a person as the abandon rate counts it. A call is answered within its ring timeout of its start, so
        // an hour before `since` bounds the index range.
        var hours = await connection.QueryAsync<(long Hour, long Answered, long Abandoned)>(new CommandDefinition($"""
            SELECT a.answered / 3600000, count(*), coalesce(sum(a.result = 'ABANDONED'), 0)
            FROM attempts a
            WHERE a.campaign_id = @campaign AND a.started >= @since - 3600000 AND a.answered >= @since AND {AnsweredByPerson}
            GROUP BY 1
            """, args, tx, cancellationToken: ct));
        // Network outcomes only: answers (person, machine, fax) at their answer time, and busy / no answer / invalid at
        // their end; not skips, rejects, lease expiries or logouts, which say nothing about the network.
        var recentCalls = (await connection.QueryAsync<(double Seconds, long Person)>(new CommandDefinition($"""
            SELECT (coalesce(a.answered, a.ended) - a.started) / 1000.0, {AnsweredByPerson}
            FROM attempts a
            WHERE a.campaign_id = @campaign AND coalesce(a.answered, a.ended) IS NOT NULL
              AND (a.answered IS NOT NULL OR a.result IN ('BUSY', 'NOANSWER', 'INVALID_NUMBER'))
            ORDER BY a.started DESC, a.id DESC LIMIT @calls
            """, args, tx, cancellationToken: ct))).ToList();
        // Conversations an agent finished (talk and wrap-up as the agent's completion measured them); not those a logout cut.
        var recentServices = (await connection.QueryAsync<(double Talk, double Wrap)>(new CommandDefinition("""
            SELECT a.talk_seconds, a.wrap_seconds
            FROM attempts a
            WHERE a.campaign_id = @campaign AND a.answered IS NOT NULL AND a.agent_id IS NOT NULL AND a.agent_logout = 0
            ORDER BY a.started DESC, a.id DESC LIMIT @services
            """, args, tx, cancellationToken: ct))).ToList();
        recentCalls.Reverse();
        recentServices.Reverse();
        return new PacingHistory(
            hours.Select(h => new HourAbandons(DateTimeOffset.FromUnixTimeMilliseconds(h.Hour * 3600000), (int)h.Answered, (int)h.Abandoned)).ToList(),
            recentCalls.ConvertAll(c => new CallSample(Math.Max(0, c.Seconds), c.Person != 0)),
            recentServices.ConvertAll(s => new ServiceSample(Math.Max(0, s.Talk), Math.Max(0, s.Wrap))));
    }
}
