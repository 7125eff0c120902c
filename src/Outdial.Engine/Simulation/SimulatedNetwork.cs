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
    private readonly KeyedRandom _keyed = new();
    private readonly Dictionary<long, SimCall> _calls = [];
    private readonly Lock _lock = new();
    private long _nextId;

    public SimulatedNetworkOptions Options => options;

    /// <summary>Draws an agent's wrap-up time from the same generator (the simulated world's people).</summary>
    public double DrawWrapSeconds()
    {
        lock (_lock) return options.WrapTime.Sample(_random);
    }

    public long Originate(OriginateRequest request, Action<CallProgress> onProgress) => Originate(request, onProgress, null);

    /// <summary>Calls <paramref name="customer"/> (with <see cref="SimulatedNetworkOptions.CommonRandomNumbers"/>: its
    /// outcome is <see cref="Outcome"/> of that customer at this time; otherwise the n-th call's key is n).</summary>
    public long Originate(OriginateRequest request, Action<CallProgress> onProgress, long? customer)
    {
        lock (_lock)
        {
            var call = new SimCall(++_nextId, onProgress);
            _calls.Add(call.Id, call);
            double seconds, setup;
            CallProgressKind kind;
            if (options.CommonRandomNumbers)
            {
                var outcome = DrawCustomer(customer ?? call.Id, time.GetUtcNow(), request.RingTimeout.TotalSeconds);
                (kind, seconds, setup, call.TalkSeconds) = (outcome.Kind, outcome.Seconds, outcome.SetupSeconds, outcome.TalkSeconds);
            }
            else
            {
                (kind, seconds) = DrawOutcome(request.RingTimeout.TotalSeconds);
                setup = options.SetupTime.Sample(_random);
            }
            if (setup < seconds) Schedule(call, CallProgressKind.Ringing, setup);
            Schedule(call, kind, seconds);
            return call.Id;
        }
    }

    /// <summary>What calling <paramref name="customer"/> at <paramref name="at"/> brings (common random numbers: the
    /// same for every caller and order; a clairvoyant policy may look ahead with it).</summary>
    public CustomerOutcome Outcome(long customer, DateTimeOffset at, TimeSpan ringTimeout)
    {
        lock (_lock) return DrawCustomer(customer, at, ringTimeout.TotalSeconds);
    }

    public void Bridge(long callId, string agentId)
    {
        lock (_lock)
        {
            if (!_calls.TryGetValue(callId, out var call) || !call.Answered) return;
            Schedule(call, CallProgressKind.FarEndHangup, call.TalkSeconds ?? options.TalkTime.Sample(_random));
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

    private CustomerOutcome DrawCustomer(long customer, DateTimeOffset at, double ringTimeout)
    {
        var r = _keyed;
        r.Reset(seed, customer);
        // Every draw is taken in the same order whatever the outcome, so a drifting rate changes only the outcome.
        var u = r.NextDouble();
        var answer = options.AnswerTime.Sample(r);
        var noAnswer = options.NoAnswerTime.Sample(r);
        var busy = options.BusyTime.Sample(r);
        var invalid = options.InvalidTime.Sample(r);
        var failed = options.FailedTime.Sample(r);
        var setup = options.SetupTime.Sample(r);
        var detect = options.MachineDetectionTime?.Sample(r) ?? 0;
        var misdetected = r.NextDouble() < options.MachineFalsePositiveRate;
        var talk = options.TalkTime.Sample(r) * (options.TalkFactorAt?.Invoke(at) ?? 1);
        var wrap = options.WrapTime.Sample(r);

        var person = options.PersonRateAt?.Invoke(at) ?? options.PersonRate;
        var isPerson = u < person;
        (CallProgressKind Kind, double Seconds) outcome;
        if ((u -= person) < 0) outcome = misdetected ? (CallProgressKind.AnsweredMachine, answer + detect) : (CallProgressKind.AnsweredPerson, answer + detect);
        else if ((u -= options.MachineRate) < 0) outcome = (CallProgressKind.AnsweredMachine, answer + detect);
        else if ((u -= options.FaxRate) < 0) outcome = (CallProgressKind.AnsweredFax, answer);
        else if ((u -= options.BusyRate) < 0) outcome = (CallProgressKind.Busy, busy);
        else if ((u -= options.InvalidRate) < 0) outcome = (CallProgressKind.InvalidNumber, invalid);
        else if ((u - options.FailedRate) < 0) outcome = (CallProgressKind.Failed, failed);
        else outcome = (CallProgressKind.NoAnswer, Math.Min(ringTimeout, noAnswer));
        if (outcome.Kind.IsAnswer() && answer >= ringTimeout) (outcome, isPerson) = ((CallProgressKind.NoAnswer, ringTimeout), false);
        return new(outcome.Kind, outcome.Seconds, setup, isPerson, talk, wrap);
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
        public double? TalkSeconds { get; set; }
        // Holding the timers also keeps System timers from being collected before they fire.
        public List<ITimer> Timers { get; } = new(2);

        public void Cancel()
        {
            foreach (var t in Timers) t.Dispose();
            Timers.Clear();
        }
    }
}
