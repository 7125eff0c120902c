using Dapper;
using Microsoft.Data.Sqlite;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    /// <summary>Milliseconds of one agent in one state within a period; an agent with a row worked in it (even 0 ms).</summary>
    internal sealed class AgentTime
    {
        public string AgentUid { get; set; } = "";
        public string State { get; set; } = "";
        public long Ms { get; set; }
    }

    private sealed class AgentTimeTally
    {
        public string AgentUid { get; set; } = "";
        public string State { get; set; } = "";
        public long Ms { get; set; }
        public long N { get; set; }
        public long MinStarted { get; set; }
        public long MaxStarted { get; set; }
        public long MinEnded { get; set; }
        public long MaxEnded { get; set; }
    }

    /// <summary>The agents' time in a campaign over [from, to) (an interval still open runs until now), by agent and state,
    /// for one agent or (null) all. A period holding all of the closed intervals (the total) reads their tallies
    /// (0018_call_tallies.sql) and the open intervals; any other reads the intervals that ended after it began.</summary>
    private static async Task<List<AgentTime>> AgentTimeAsync(ReadConnections.Lease connection, long campaign, string? agentUid, long from, long to, long now, CancellationToken ct)
    {
        var args = new { campaign, agentUid, from, to, now };
        var tallies = (await connection.QueryAsync<AgentTimeTally>("""
            SELECT agent_uid AS AgentUid, state AS State, ms AS Ms, n AS N, min_started AS MinStarted, max_started AS MaxStarted,
                   min_ended AS MinEnded, max_ended AS MaxEnded
            FROM campaign_agent_time WHERE campaign_id = @campaign AND (@agentUid IS NULL OR agent_uid = @agentUid)
            """, args, ct)).Where(t => t.N != 0).ToList();
        // Each closed interval wholly inside the period, and inside it by its start and end: counted whole.
        if (tallies.All(t => from < t.MinStarted && from < t.MinEnded && to > t.MaxStarted && to >= t.MaxEnded))
            return tallies.Select(t => new AgentTime { AgentUid = t.AgentUid, State = t.State, Ms = t.Ms })
                .Concat(await connection.QueryAsync<AgentTime>($"""
                    SELECT agent_uid AS AgentUid, state AS State, {Overlap} AS Ms FROM agent_intervals INDEXED BY ix_agent_intervals_open
                    WHERE campaign_id = @campaign AND ended IS NULL AND started < @to AND @now > @from AND (@agentUid IS NULL OR agent_uid = @agentUid)
                    """, args, ct)).ToList();
        return await connection.QueryAsync<AgentTime>($"""
            SELECT agent_uid AS AgentUid, state AS State, sum({Overlap}) AS Ms FROM (
                SELECT agent_uid, state, started, ended FROM agent_intervals INDEXED BY ix_agent_intervals_ended
                WHERE campaign_id = @campaign AND ended > @from AND started < @to
                UNION ALL
                SELECT agent_uid, state, started, ended FROM agent_intervals INDEXED BY ix_agent_intervals_open
                WHERE campaign_id = @campaign AND ended IS NULL AND started < @to AND @now > @from
            )
            WHERE @agentUid IS NULL OR agent_uid = @agentUid
            GROUP BY agent_uid, state
            """, args, ct);
    }

    /// <summary>An interval's part of the period, in ms.</summary>
    private const string Overlap = "max(0, min(coalesce(ended, @now), @to) - max(started, @from))";
}
