using System.Text.Json.Nodes;
using Outdial.Engine.Events;

namespace Outdial.Server.Dialects.Genesys.CometD;

/// <summary>
/// One CometD client: its id, its agent, its subscriptions and its queue. The queue is the client's subscription to the
/// engine's event stream (bounded, the agent's events only; a client that falls behind loses its oldest ones); events
/// become Bayeux messages when a <c>/meta/connect</c> takes them.
/// </summary>
/// <remarks>
/// State is kept this small so several nodes can share one database later: a client's messages reach the node that holds
/// its session because every node's event stream will carry every node's events (a PostgreSQL LISTEN/NOTIFY relay
/// republishing agent.work events onto each node's <see cref="EventBus"/>). Client ids stay node-local: a client sent to
/// another node hears <c>402::Unknown client</c> and handshakes again there, as Bayeux expects.
/// </remarks>
internal sealed class CometDSession : IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _channels = new(StringComparer.Ordinal);
    private readonly EventBus.Subscription _events;
    private readonly ITimer _expiry;
    private readonly TimeSpan _maxInterval;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _closed = new();
    private CancellationTokenSource? _held;
    private bool _connected;

    public CometDSession(string clientId, long tenantId, string agentId, EventBus bus, TimeProvider time, TimeSpan maxInterval, Action<CometDSession> expire)
    {
        ClientId = clientId;
        TenantId = tenantId;
        AgentId = agentId;
        _maxInterval = maxInterval;
        _time = time;
        _events = bus.Subscribe(tenantId, GenesysNotifications.EventTypes, CometDOptions.QueueLength, GenesysNotifications.Of(agentId));
        _expiry = time.CreateTimer(_ => expire(this), null, maxInterval, Timeout.InfiniteTimeSpan);
    }

    public string ClientId { get; }
    public long TenantId { get; }
    public string AgentId { get; }
    public bool Closed => _closed.IsCancellationRequested;

    /// <summary>A <c>/meta/connect</c> is being held (the session cannot expire meanwhile).</summary>
    public bool Holding
    {
        get
        {
            lock (_gate) return _held is not null;
        }
    }

    /// <summary>Adds or removes a channel (or a <c>/*</c>, <c>/**</c> pattern) the client hears.</summary>
    public void Subscribe(string channel, bool on)
    {
        lock (_gate)
            if (on) _channels.Add(channel);
            else _channels.Remove(channel);
    }

    /// <summary>The messages waiting for the client, held until one arrives or <paramref name="timeout"/> passes; the first
    /// connect after the handshake is answered at once, so the client learns the advice. Null when the session is gone.</summary>
    public async Task<List<JsonObject>?> ConnectAsync(TimeSpan timeout, CancellationToken aborted)
    {
        CancellationTokenSource held;
        lock (_gate)
        {
            if (Closed) return null;
            var first = !_connected;
            _connected = true;
            var ready = Drain();
            if (first || ready.Count > 0 || timeout <= TimeSpan.Zero)
            {
                Arm();
                return ready;
            }
            // One held connect per client: a newer one answers the older (Bayeux's rule for a client that reconnected).
            _held?.Cancel();
            held = _held = new CancellationTokenSource();
            _expiry.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        using var timer = new CancellationTokenSource(timeout, _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, held.Token, aborted, _closed.Token);
        try
        {
            while (await _events.Reader.WaitToReadAsync(wait.Token))
                lock (_gate)
                    if (Drain() is { Count: > 0 } messages) return messages;
            lock (_gate) return Closed ? null : []; // the queue ends only when the session does
        }
        catch (OperationCanceledException)
        {
            lock (_gate) return Closed ? null : Drain();
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_held, held)) _held = null;
                held.Dispose();
                if (_held is null && !Closed) Arm();
            }
        }
    }

    /// <summary>True when the session may expire now: no connect held and none seen for the max interval.</summary>
    public bool TryClose(bool evenIfHeld)
    {
        lock (_gate)
        {
            if (Closed || (!evenIfHeld && _held is not null)) return false;
            _closed.Cancel();
            return true;
        }
    }

    private void Arm() => _expiry.Change(_maxInterval, Timeout.InfiniteTimeSpan);

    private List<JsonObject> Drain()
    {
        var messages = new List<JsonObject>();
        while (_events.Reader.TryRead(out var e))
            foreach (var (channel, data) in GenesysNotifications.Messages(e, _time.GetUtcNow()))
                if (Hears(channel)) messages.Add(new JsonObject { ["data"] = data, ["channel"] = channel });
        return messages;
    }

    /// <summary>Subscribed to the channel itself, to its parent's <c>/*</c>, or to an ancestor's <c>/**</c>.</summary>
    private bool Hears(string channel)
    {
        var last = channel.LastIndexOf('/');
        if (_channels.Contains(channel) || (last >= 0 && _channels.Contains(channel[..last] + "/*"))) return true;
        for (var i = last; i >= 0; i = i == 0 ? -1 : channel.LastIndexOf('/', i - 1))
            if (_channels.Contains(channel[..i] + "/**")) return true;
        return false;
    }

    public void Dispose()
    {
        _closed.Cancel();
        _expiry.Dispose();
        _events.Dispose();
    }
}
