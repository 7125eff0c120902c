using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Dialing;

/// <summary>The runner's view of the campaign's agents: reloaded from the sessions on every agent event (the API changes
/// them in the store), moved by the dialer itself as calls progress, let go of when a session ends.</summary>
public sealed partial class CampaignRunner
{
    /// <param name="session">The serial of the login this view follows: a different one means the agent logged out and in
    /// again since the last look.</param>
    private sealed class AgentView(AgentState state, DateTimeOffset since, long session)
    {
        public long Session { get; } = session;
        public AgentState State { get; set; } = state;
        public DateTimeOffset Since { get; set; } = since;
        public long? CallId { get; set; }
    }

    private async Task ForwardAgentEventsAsync()
    {
        try
        {
            var reader = _agentEvents.Reader;
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                // Posted before it leaves the queue: IsIdle sees an event in one place or the other, never in neither.
                while (reader.TryPeek(out var e))
                {
                    if (e.Data is AgentStateChanged { ByDialer: false } change && (change.CampaignId is null || change.CampaignId == Campaign.Id))
                        Post(new AgentsChanged());
                    reader.TryRead(out _);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> MoveAgentAsync(string agentId, AgentView agent, AgentState to, DateTimeOffset now, CancellationToken ct)
    {
        // Only within the session the view follows: refused after a logout (and a new login) the view has not seen yet.
        var move = await _store.MoveAgentAsync(_tenant, agentId, to, null, now, ct, session: agent.Session);
        if (move.Error is not null || move.Session is null)
        {
            Post(new AgentsChanged()); // the view is behind the store: read the sessions again
            return false;
        }
        agent.State = to;
        agent.Since = now;
        // Published without going through our own reload: the view is already current.
        _events.Publish(_tenant, new AgentStateChanged(agentId, move.From, to, Campaign.Id, ByDialer: true));
        return true;
    }

    private async Task ReloadAgentsAsync(CancellationToken ct)
    {
        var sessions = await _store.ListAgentSessionsAsync(_tenant, Campaign.Id, ct);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sessions)
        {
            seen.Add(s.AgentId);
            if (_agents.TryGetValue(s.AgentId, out var view) && view.Session != s.Serial)
            {
                await LetGoAsync(s.AgentId, ct); // logged out and in again: what the old session held goes
                view = null;
            }
            if (view is not null) { view.State = s.State; view.Since = s.StateSince; }
            else _agents[s.AgentId] = new AgentView(s.State, s.StateSince, s.Serial);
        }
        foreach (var gone in _agents.Keys.Where(k => !seen.Contains(k)).ToList()) await LetGoAsync(gone, ct);
        await ReleasePreviewsAsync(agent => !seen.Contains(agent), ct);
    }

    /// <summary>An agent logged out: a call it handled ends and counts as an operator logout (OBI), a record it held in
    /// preview goes back, and it is forgotten until the sessions show it again.</summary>
    private async Task LetGoAsync(string agentId, CancellationToken ct)
    {
        if (_agents.TryGetValue(agentId, out var view) && view.CallId is { } callId && _calls.TryGetValue(callId, out var call))
        {
            _telephony.Hangup(callId);
            var now = _time.GetUtcNow();
            await FinishAsync(call, new AttemptOutcome(call.Answered is null ? CallResult.NOT_DIALED : CallResult.HANGUP, call.PhoneIndex), now, ct,
                new AttemptDetails { Answered = call.Answered, AgentId = agentId, AgentLogout = true, TalkSeconds = call.Answered is { } a ? ((call.TalkEnded ?? now) - a).TotalSeconds : 0 });
        }
        _agents.Remove(agentId);
        await ReleasePreviewsAsync(agent => agent == agentId, ct);
    }
}
