using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.AgentWork;

/// <summary>An agent's login, ready, pause and logout; each change is published as an agent.state event. The working states
/// (preview, dialing, talking, wrap-up) are set by the dialer.</summary>
/// <remarks>A move answers the session after it (null if the agent is logged out meanwhile).</remarks>
public sealed class AgentSessionOperations(IStore store, EventBus events, TimeProvider time)
{
    public async Task<AgentSession> GetAsync(long tenant, string agentId, CancellationToken ct) =>
        Id32.TryNormalize(agentId, out var aid) && await store.GetAgentSessionAsync(tenant, aid, ct) is { } session
            ? session
            : throw OperationException.NotFound($"session of agent '{agentId}'");

    /// <summary>The sessions of a campaign's agents.</summary>
    public async Task<IReadOnlyList<AgentSession>> ListAsync(long tenant, string campaignId, CancellationToken ct)
    {
        var id = Validate.Id(campaignId, "campaignId");
        if (await store.GetCampaignAsync(tenant, id, ct) is null) throw OperationException.NotFound($"campaign '{campaignId}'");
        return await store.ListAgentSessionsAsync(tenant, id, ct);
    }

    /// <summary>Logs the agent in to a campaign, Ready unless <paramref name="state"/> says Paused.</summary>
    public Task<AgentSession?> LoginAsync(long tenant, string agentId, string? campaignId, AgentState? state, CancellationToken ct)
    {
        var to = state ?? AgentState.Ready;
        if (to is not (AgentState.Ready or AgentState.Paused)) throw new ValidationException("'state' at login must be Ready or Paused", "state");
        var id = Validate.Id(campaignId, "campaignId");
        return MoveAsync(tenant, agentId, to, id, ct);
    }

    /// <summary>Ready or Paused, by the agent; the dialer sets the working states.</summary>
    public Task<AgentSession?> SetStateAsync(long tenant, string agentId, AgentState? state, CancellationToken ct) =>
        state is AgentState.Ready or AgentState.Paused
            ? MoveAsync(tenant, agentId, state.Value, null, ct)
            : throw new ValidationException("'state' must be Ready or Paused; the dialer sets the working states", "state");

    public Task LogoutAsync(long tenant, string agentId, CancellationToken ct) => MoveAsync(tenant, agentId, AgentState.LoggedOut, null, ct);

    private async Task<AgentSession?> MoveAsync(long tenant, string agentId, AgentState to, string? campaignId, CancellationToken ct)
    {
        if (!Id32.TryNormalize(agentId, out var aid)) throw OperationException.NotFound($"agent '{agentId}'");
        var move = await store.MoveAgentAsync(tenant, aid, to, campaignId, time.GetUtcNow(), ct, byAgent: true);
        if (move.NotFound) throw OperationException.NotFound(move.Error!);
        if (move.Error is not null) throw OperationException.Conflict(move.Error);
        events.Publish(tenant, new AgentStateChanged(aid, move.From, to, move.Session?.CampaignId, ByDialer: false));
        return move.Session;
    }
}
