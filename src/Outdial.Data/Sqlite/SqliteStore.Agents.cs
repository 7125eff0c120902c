using Dapper;
using Outdial.Engine.Agents;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private sealed class SessionRow
    {
        public string AgentId { get; set; } = "";
        public string CampaignId { get; set; } = "";
        public string State { get; set; } = "";
        public long StateSince { get; set; }
        public long LoggedIn { get; set; }
        public long Serial { get; set; }

        public AgentSession ToSession() =>
            new(AgentId, CampaignId, Enum.Parse<AgentState>(State), FromMs(StateSince)!.Value, FromMs(LoggedIn)!.Value, Serial);
    }

    private const string SessionSelect = """
        SELECT a.uid AS AgentId, c.uid AS CampaignId, s.state AS State, s.state_since AS StateSince, s.logged_in AS LoggedIn,
               s.serial AS Serial
        FROM agent_sessions s JOIN agents a ON a.id = s.agent_id JOIN campaigns c ON c.id = s.campaign_id
        """;

    public async Task<AgentSession?> GetAgentSessionAsync(long tenant, string agentId, CancellationToken ct) =>
        (await QueryAsync<SessionRow>($"{SessionSelect} WHERE s.tenant_id = @tenant AND a.uid = @agentId", new { tenant, agentId }, ct)).SingleOrDefault()?.ToSession();

    public async Task<IReadOnlyList<AgentSession>> ListAgentSessionsAsync(long tenant, string? campaignId, CancellationToken ct) =>
        (await QueryAsync<SessionRow>($"{SessionSelect} WHERE s.tenant_id = @tenant AND (@campaignId IS NULL OR c.uid = @campaignId) ORDER BY a.login",
            new { tenant, campaignId }, ct)).Select(r => r.ToSession()).ToList();

    public async Task<AgentMove> MoveAgentAsync(long tenant, string agentId, AgentState to, string? campaignId, DateTimeOffset now, CancellationToken ct, bool byAgent = false, long? session = null)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var agent = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM agents WHERE tenant_id = @tenant AND uid = @agentId", new { tenant, agentId }, tx, cancellationToken: ct));
        if (agent is null) return new AgentMove(null, AgentState.LoggedOut, $"agent '{agentId}'", NotFound: true);
        var current = await connection.QuerySingleOrDefaultAsync<(long CampaignId, string State, long Serial)?>(new CommandDefinition(
            "SELECT campaign_id, state, serial FROM agent_sessions WHERE agent_id = @agent", new { agent }, tx, cancellationToken: ct));
        var from = current is { } c ? Enum.Parse<AgentState>(c.State) : AgentState.LoggedOut;
        if (session is { } expected && current?.Serial != expected)
            return new AgentMove(null, from, current is null ? "the agent's session has ended" : "the agent logged in again since");
        if (byAgent && current is { } loggedIn && campaignId is not null)
        {
            var where = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT uid FROM campaigns WHERE id = @id", new { id = loggedIn.CampaignId }, tx, cancellationToken: ct));
            return new AgentMove(null, from, $"the agent is already logged in to campaign '{where}': log out first, or change its state with PUT …/session/state");
        }
        if (byAgent && to is AgentState.Ready or AgentState.Paused && from is AgentState.Preview or AgentState.Dialing or AgentState.Talking or AgentState.WrapUp)
            return new AgentMove(null, from, $"the agent is {from}: skip, reject or complete what it holds first (the dialer then makes it Ready)");
        if (!AgentTransitions.IsAllowed(from, to))
            return new AgentMove(null, from, from == to ? $"the agent is already {to}" : $"an agent cannot go from {from} to {to}");

        long campaign;
        if (current is { } open)
        {
            campaign = open.CampaignId;
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE agent_intervals SET ended = @nowMs WHERE agent_id = @agent AND ended IS NULL", new { agent, nowMs }, tx, cancellationToken: ct));
        }
        else
        {
            var found = campaignId is null ? null : await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM campaigns WHERE tenant_id = @tenant AND uid = @campaignId", new { tenant, campaignId }, tx, cancellationToken: ct));
            if (found is null) return new AgentMove(null, from, campaignId is null ? "the agent is LoggedOut: log in to a campaign first" : $"campaign '{campaignId}'", NotFound: campaignId is not null);
            campaign = found.Value;
        }

        if (to == AgentState.LoggedOut)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM agent_sessions WHERE agent_id = @agent", new { agent }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return new AgentMove(null, from, null);
        }
        var interval = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO agent_intervals (tenant_id, agent_id, agent_uid, campaign_id, state, started) VALUES (@tenant, @agent, (SELECT uid FROM agents WHERE id = @agent), @campaign, @state, @nowMs) RETURNING id",
            new { tenant, agent, campaign, state = to.ToString(), nowMs }, tx, cancellationToken: ct));
        // A login's serial is the id of the interval it opened; later moves of the same session keep it.
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO agent_sessions (agent_id, tenant_id, campaign_id, state, state_since, logged_in, serial)
            VALUES (@agent, @tenant, @campaign, @state, @nowMs, @nowMs, @interval)
            ON CONFLICT (agent_id) DO UPDATE SET state = excluded.state, state_since = excluded.state_since
            """, new { agent, tenant, campaign, state = to.ToString(), nowMs, interval }, tx, cancellationToken: ct));
        var row = await connection.QuerySingleAsync<SessionRow>(new CommandDefinition(
            $"{SessionSelect} WHERE s.agent_id = @agent", new { agent }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new AgentMove(row.ToSession(), from, null);
    }
}
