using Outdial.Engine.Agents;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    Task<AgentSession?> GetAgentSessionAsync(long tenant, string agentId, CancellationToken ct);
    Task<IReadOnlyList<AgentSession>> ListAgentSessionsAsync(long tenant, string? campaignId, CancellationToken ct);

    /// <summary>Moves an agent to a state, closing the current interval and opening the next, in one transaction.</summary>
    /// <param name="campaignId">The campaign to log into; only used when the agent is logged out.</param>
    /// <param name="byAgent">The agent's own request (the session API), not the dialer's: a login while logged in is
    /// refused, and so is Ready or Paused while the agent holds work (preview, dialing, talking, wrap-up), which only the
    /// dialer ends (the record or call would be left held). Checked in the move's transaction.</param>
    /// <param name="session">The dialer's move for one session: refused unless the agent's current session has this
    /// serial (after a logout and a new login, the ended session's work must not move the new one).</param>
    /// <returns>The new session (null after logout), or the reason the move is refused.</returns>
    Task<AgentMove> MoveAgentAsync(long tenant, string agentId, AgentState to, string? campaignId, DateTimeOffset now, CancellationToken ct, bool byAgent = false, long? session = null);
}

/// <param name="Serial">Which login this is: a new login gets a new serial (larger, in one store), later state changes of
/// the same session keep it. Login times alone can repeat (a logout and a new login in the same millisecond).</param>
public sealed record AgentSession(string AgentId, string CampaignId, AgentState State, DateTimeOffset StateSince, DateTimeOffset LoggedIn, long Serial = 0);

public sealed record AgentMove(AgentSession? Session, AgentState From, string? Error, bool NotFound = false);
