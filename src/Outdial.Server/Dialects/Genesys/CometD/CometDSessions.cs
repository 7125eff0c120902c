using System.Collections.Concurrent;
using System.Security.Cryptography;
using Outdial.Engine.Events;

namespace Outdial.Server.Dialects.Genesys.CometD;

/// <summary>The CometD sessions of this node by client id; a session expires (its queue dropped) when its client has not
/// connected for <see cref="CometDOptions.MaxInterval"/>, on the injected clock.</summary>
internal sealed class CometDSessions(EventBus bus, TimeProvider time, CometDOptions options)
{
    private readonly ConcurrentDictionary<string, CometDSession> _sessions = new(StringComparer.Ordinal);

    public CometDOptions Options => options;

    public int Count => _sessions.Count;

    /// <summary>A new session for the agent; null when the agent holds <see cref="CometDOptions.SessionsPerAgent"/> already.</summary>
    public CometDSession? Open(long tenantId, string agentId)
    {
        if (_sessions.Values.Count(s => s.TenantId == tenantId && s.AgentId == agentId) >= options.SessionsPerAgent) return null;
        var session = new CometDSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), tenantId, agentId, bus, time,
            options.MaxInterval, s => Close(s, evenIfHeld: false));
        _sessions[session.ClientId] = session;
        return session;
    }

    /// <summary>The session of a client id, only for the key's own agent: another agent's client id is unknown to it.</summary>
    public CometDSession? Find(string? clientId, long tenantId, string agentId) =>
        clientId is not null && _sessions.TryGetValue(clientId, out var s) && s.TenantId == tenantId && s.AgentId == agentId && !s.Closed ? s : null;

    /// <summary>Ends a session (disconnect, or expiry when no connect is held); its held connect, if any, is answered.</summary>
    public bool Close(CometDSession session, bool evenIfHeld)
    {
        if (!session.TryClose(evenIfHeld)) return false;
        _sessions.TryRemove(new KeyValuePair<string, CometDSession>(session.ClientId, session));
        session.Dispose();
        return true;
    }
}
