using System.Runtime.CompilerServices;
using Outdial.Engine.Telephony;

namespace Outdial.Engine.Simulation;

/// <summary>A telephone network simulated on a <see cref="TimeProvider"/>: deterministic for a seed on a
/// <see cref="VirtualClock"/> (faster than real time), or live on <see cref="TimeProvider.System"/> for demos.</summary>
/// <remarks>Each call's outcome and timings are drawn when it is originated (talk time when it is bridged), from one
/// seeded generator, so the same sequence of requests gives the same calls.</remarks>
public sealed class SimulatedNetwork(TimeProvider time, SimulatedNetworkOptions options, int seed) : ITelephony
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<long, SimCall> _calls = [];
    private readonly Lock _lock = new();
    private long _nextId;

    public SimulatedNetworkOptions Options => options;

    /// <summary>Draws an agent's wrap-up time from the same generator (the simulated world's people).</summary>
    public double DrawWrapSeconds()
    {
        lock (_lock) return options.WrapTime.Sample(_random);
    }

    public long Originate(OriginateRequest request, Action<CallProgress> onProgress)
    {
        lock (_lock)
        {
            var call = new SimCall(++_nextId, onProgress);
            _calls.Add(call.Id, call);
            var (kind, seconds) = DrawOutcome(request.RingTimeout.TotalSeconds);
            var setup = options.SetupTime.Sample(_random);
            if (setup < seconds) Schedule(call, CallProgressKind.Ringing, setup);
            Schedule(call, kind, seconds);
            return call.Id;
        }
    }

    public void Bridge(long callId, string agentId)
    {
        lock (_lock)
        {
            if (!_calls.TryGetValue(callId, out var call) || !call.Answered) return;
            Schedule(call, CallProgressKind.FarEndHangup, options.TalkTime.Sample(_random));
        }
    }

    public void Hangup(long callId)
    {
        lock (_lock)
        {
            if (!_calls.Remove(callId, out var call)) return;
            call.Cancel();
        }
    }

    private (CallProgressKind Kind, double Seconds) DrawOutcome(double ringTimeout)
    {
        var u = _random.NextDouble();
        if ((u -= options.PersonRate) < 0) return Answer(CallProgressKind.AnsweredPerson);
        if ((u -= options.MachineRate) < 0) return Answer(CallProgressKind.AnsweredMachine);
        if ((u -= options.FaxRate) < 0) return Answer(CallProgressKind.AnsweredFax);
        if ((u -= options.BusyRate) < 0) return (CallProgressKind.Busy, options.BusyTime.Sample(_random));
        if ((u -= options.InvalidRate) < 0) return (CallProgressKind.InvalidNumber, options.InvalidTime.Sample(_random));
        if ((u - options.FailedRate) < 0) return (CallProgressKind.Failed, options.FailedTime.Sample(_random));
        return (CallProgressKind.NoAnswer, Math.Min(ringTimeout, options.NoAnswerTime.Sample(_random)));

        (CallProgressKind, double) Answer(CallProgressKind kind)
        {
            var at = options.AnswerTime.Sample(_random);
            return at < ringTimeout ? (kind, at) : (CallProgressKind.NoAnswer, ringTimeout);
        }
    }

    private void Schedule(SimCall call, CallProgressKind kind, double seconds)
    {
        // Armed only once stored, so a real-time timer cannot fire before the call knows it.
        var holder = new StrongBox<ITimer>();
        holder.Value = time.CreateTimer(_ => Fire(call, kind, holder.Value!), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        call.Timers.Add(holder.Value);
        holder.Value.Change(TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
    }

    private void Fire(SimCall call, CallProgressKind kind, ITimer timer)
    {
        lock (_lock)
        {
            timer.Dispose();
            call.Timers.Remove(timer);
            if (!_calls.ContainsKey(call.Id)) return; // hung up meanwhile (real-time race)
            if (kind.IsAnswer()) call.Answered = true;
            if (kind.IsTerminal()) { _calls.Remove(call.Id); call.Cancel(); }
        }
        // Outside the lock: the listener may call back into the network.
        call.OnProgress(new CallProgress(call.Id, kind, time.GetUtcNow()));
    }

    private sealed class SimCall(long id, Action<CallProgress> onProgress)
    {
        public long Id { get; } = id;
        public Action<CallProgress> OnProgress { get; } = onProgress;
        public bool Answered { get; set; }
        // Holding the timers also keeps System timers from being collected before they fire.
        public List<ITimer> Timers { get; } = new(2);

        public void Cancel()
        {
            foreach (var t in Timers) t.Dispose();
            Timers.Clear();
        }
    }
}
