using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Outdial.Engine.Events;

/// <summary>Something that happened in a tenant: record processed, call progress, agent state, campaign state, pacing decision.</summary>
/// <param name="Sequence">Process-wide increasing number, so a client can tell order and gaps.</param>
public sealed record OutdialEvent(long Sequence, long TenantId, DateTimeOffset At, EngineEvent Data)
{
    public string Type => Data.Type;
}

public static class EventTypes
{
    public const string RecordProcessed = "record.processed";
    public const string CallProgress = "call.progress";
    public const string AgentState = "agent.state";
    public const string CampaignState = "campaign.state";
    public const string PacingDecision = "pacing.decision";
    public const string AgentWork = "agent.work";
    public const string RecordOffered = "record.offered";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { RecordProcessed, CallProgress, AgentState, CampaignState, PacingDecision, AgentWork, RecordOffered };
}

/// <summary>
/// In-process fan-out of engine events to subscribers (SSE clients, the CometD dialect). Publishing never blocks the engine:
/// each subscriber has a bounded buffer and a slow subscriber loses its oldest events, never the dialer's time.
/// </summary>
public sealed class EventBus(TimeProvider time)
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscribers = new();
    private long _sequence;

    public void Publish(long tenantId, EngineEvent data)
    {
        var evt = new OutdialEvent(Interlocked.Increment(ref _sequence), tenantId, time.GetUtcNow(), data);
        foreach (var subscriber in _subscribers.Keys)
            if (subscriber.TenantId == tenantId && (subscriber.Types is null || subscriber.Types.Contains(data.Type))
                && (subscriber.Accept is null || subscriber.Accept(data)))
                subscriber.Channel.Writer.TryWrite(evt);
    }

    /// <summary>Events of one tenant (optionally only some types) from now on, until the subscription is disposed.</summary>
    /// <param name="accept">Keeps only the events it accepts (one agent's, say), so others never take room in the buffer;
    /// called on the publisher's thread, so it must be quick and must not throw.</param>
    public Subscription Subscribe(long tenantId, IReadOnlySet<string>? types = null, int buffer = 10_000, Func<EngineEvent, bool>? accept = null)
    {
        var subscription = new Subscription(this, tenantId, types, accept, Channel.CreateBounded<OutdialEvent>(
            new BoundedChannelOptions(buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }));
        _subscribers[subscription] = 0;
        return subscription;
    }

    public int SubscriberCount => _subscribers.Count;

    public sealed class Subscription : IDisposable
    {
        private readonly EventBus _bus;

        internal Subscription(EventBus bus, long tenantId, IReadOnlySet<string>? types, Func<EngineEvent, bool>? accept, Channel<OutdialEvent> channel)
        {
            _bus = bus;
            TenantId = tenantId;
            Types = types;
            Accept = accept;
            Channel = channel;
        }

        public long TenantId { get; }
        public IReadOnlySet<string>? Types { get; }
        public Func<EngineEvent, bool>? Accept { get; }
        internal Channel<OutdialEvent> Channel { get; }
        public ChannelReader<OutdialEvent> Reader => Channel.Reader;

        public void Dispose()
        {
            _bus._subscribers.TryRemove(this, out _);
            Channel.Writer.TryComplete();
        }
    }
}
