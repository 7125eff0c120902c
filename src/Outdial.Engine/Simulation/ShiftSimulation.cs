using Outdial.Engine.Pacing;
using Outdial.Engine.Telephony;

namespace Outdial.Engine.Simulation;

/// <summary>Discrete-event simulation of a shift on a <see cref="VirtualClock"/>: agents, the simulated network and a
/// <see cref="Pacer"/> (or another <see cref="IDialPolicy"/>) asked after every call and agent event. Deterministic for a seed.</summary>
/// <remarks>Customers are called in order (the n-th launch or skip is customer n), so with
/// <see cref="SimulatedNetworkOptions.CommonRandomNumbers"/> every policy meets the same customers with the same outcomes.
/// Occupancy counts logged-in time only; a person hung up on by a false machine detection counts as answered and
/// abandoned in the report (as regulators count it), though the dialer, like a real one, never learns it.</remarks>
public sealed class ShiftSimulation
{
    private readonly ShiftOptions _o;
    private readonly VirtualClock _clock;
    private readonly SimulatedNetwork _network;
    private readonly Pacer _pacer;
    private readonly OutcomeEstimator _estimator = new();
    private readonly AbandonMeter _meter = new();
    private readonly AgentSnapshot[] _agents;
    private readonly Queue<int> _ready = new();            // longest idle first
    private readonly Queue<SimCall> _waiting = new();      // answered, no agent yet
    private readonly Dictionary<long, SimCall> _calls = [];
    private readonly List<CallSnapshot> _callSnapshots = [];
    private readonly int[] _hourCalls, _hourAnswered, _hourAbandoned, _hourConnected;
    private readonly double[] _hourBusy, _hourIdle;
    private readonly List<LiveCall> _live = [];
    private readonly DateTimeOffset?[] _releaseAt;
    private readonly bool[] _leaving;
    private long _nextCustomer;
    private int _launched, _knownAnswered, _knownAbandoned;
    private readonly DateTimeOffset _end;
    private int _records;
    private int _decisions;
    private double _ratioSum;
    private int _ratioCount;
    private double _modelled;
    private readonly ITimer _wakeUp;

    private ShiftSimulation(ShiftOptions options)
    {
        _o = options;
        _clock = new VirtualClock(options.Start);
        _network = new SimulatedNetwork(_clock, options.Network, options.Seed);
        _pacer = new Pacer(options.Pacer);
        _end = options.Start + options.Length;
        _records = options.Records;
        var hours = (int)Math.Ceiling(options.Length.TotalHours);
        (_hourCalls, _hourAnswered, _hourAbandoned, _hourConnected) = (new int[hours], new int[hours], new int[hours], new int[hours]);
        (_hourBusy, _hourIdle) = (new double[hours], new double[hours]);
        _wakeUp = _clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var shifts = options.AgentShifts ?? [.. Enumerable.Repeat(new AgentShift(TimeSpan.Zero, options.Length), options.Agents)];
        _agents = new AgentSnapshot[shifts.Count];
        _releaseAt = new DateTimeOffset?[shifts.Count];
        _leaving = new bool[shifts.Count];
        for (var i = 0; i < _agents.Length; i++)
        {
            var agent = i;
            if (shifts[i].LogIn <= TimeSpan.Zero)
            {
                _agents[i] = new(AgentActivity.Ready, options.Start);
                _ready.Enqueue(i);
            }
            else
            {
                _agents[i] = new(AgentActivity.NotReady, options.Start);
                _clock.CreateTimer(_ => LogIn(agent), null, shifts[i].LogIn, Timeout.InfiniteTimeSpan);
            }
            if (shifts[i].LogOut < options.Length)
                _clock.CreateTimer(_ => LogOut(agent), null, shifts[i].LogOut, Timeout.InfiniteTimeSpan);
        }
    }

    public static ShiftReport Run(ShiftOptions options) => new ShiftSimulation(options).Run();

    private ShiftReport Run()
    {
        Pace();
        while (_clock.Step(_end)) Pace();
        for (var i = 0; i < _agents.Length; i++) Account(i, _end);

        var hours = new HourReport[_hourCalls.Length];
        for (var h = 0; h < hours.Length; h++)
        {
            var loggedIn = _hourBusy[h] + _hourIdle[h];
            hours[h] = new(h, _hourCalls[h], _hourAnswered[h], _hourAbandoned[h], loggedIn == 0 ? 0 : _hourBusy[h] / loggedIn,
                _hourIdle[h] / Math.Max(1, _hourConnected[h]));
        }
        var agentSeconds = _hourBusy.Sum() + _hourIdle.Sum();
        var total = new HourReport(-1, _hourCalls.Sum(), _hourAnswered.Sum(), _hourAbandoned.Sum(),
            agentSeconds == 0 ? 0 : _hourBusy.Sum() / agentSeconds, _hourIdle.Sum() / Math.Max(1, _hourConnected.Sum()));
        return new ShiftReport(hours, total, _ratioCount == 0 ? 0 : _ratioSum / _ratioCount, _decisions, _modelled,
            agentSeconds / 3600, _hourConnected.Sum());
    }

    private void Pace()
    {
        var now = _clock.GetUtcNow();
        _callSnapshots.Clear();
        foreach (var c in _calls.Values) _callSnapshots.Add(new(c.Started, c.AnsweredAt is null ? CallPhase.Dialing : CallPhase.AnsweredWaiting));
        if (_o.Policy is { } policy)
        {
            _live.Clear();
            foreach (var c in _calls.Values) _live.Add(new(c.Customer, c.Started, c.AnsweredAt is not null));
            var order = policy.Decide(new ShiftView
            {
                Now = now,
                Options = _o,
                Agents = _agents,
                Calls = _callSnapshots,
                Live = _live,
                ReleaseAt = _releaseAt,
                Estimator = _estimator,
                Meter = _meter,
                Network = _network,
                NextCustomer = _nextCustomer,
                Launched = _launched,
                KnownAnswered = _knownAnswered,
                KnownAbandoned = _knownAbandoned,
            });
            _decisions++;
            var skip = Math.Clamp(order.Skip, 0, _records);
            (_nextCustomer, _records) = (_nextCustomer + skip, _records - skip);
            for (var i = 0; i < Math.Min(order.Launch, _records); i++) Launch(now);
            _wakeUp.Change(order.DecideAgainAfter ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var decision = _pacer.Decide(new PacingState
        {
            Mode = _o.Mode,
            Agents = _agents,
            Calls = _callSnapshots,
            TargetAbandonPercent = _o.TargetAbandonPercent,
            Estimator = _estimator,
            Meter = _meter,
            CallableRecords = _records,
        }, now);
        _decisions++;
        if (decision.IncreasePredictiveRatio > 0 || _ready.Count < _agents.Length)
        {
            _ratioSum += decision.IncreasePredictiveRatio;
            _ratioCount++;
        }
        _modelled += decision.ExpectedAbandons;
        for (var i = 0; i < decision.CallsToLaunch; i++) Launch(now);
        // The wake-up is itself an event (the loop decides after every timer); any earlier event re-arms it.
        _wakeUp.Change(decision.DecideAgainAfter ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private void Launch(DateTimeOffset now)
    {
        _records--;
        _launched++;
        _hourCalls[HourOf(now)]++;
        var call = new SimCall(now) { Customer = _nextCustomer++ };
        if (_network.Options.CommonRandomNumbers) call.Outcome = _network.Outcome(call.Customer, now, _o.RingTimeout);
        call.Id = _network.Originate(new OriginateRequest($"+1555{_records:D7}", null, _o.RingTimeout), p => OnProgress(call, p), call.Customer);
        _calls.Add(call.Id, call);
    }

    private void OnProgress(SimCall call, CallProgress progress)
    {
        var now = progress.At;
        var seconds = (now - call.Started).TotalSeconds;
        switch (progress.Kind)
        {
            case CallProgressKind.Ringing:
                return;
            case CallProgressKind.AnsweredPerson:
                _estimator.RecordCall(seconds, answeredByPerson: true);
                call.AnsweredAt = now;
                if (TryTakeReady(out var agent)) Connect(call, agent, now);
                else
                {
                    _waiting.Enqueue(call);
                    _clock.CreateTimer(_ => Abandon(call), null, _o.Pacer.Grace, Timeout.InfiniteTimeSpan);
                }
                return;
            case CallProgressKind.AnsweredMachine or CallProgressKind.AnsweredFax:
                _estimator.RecordCall(seconds, answeredByPerson: false);
                if (call.Outcome is { Person: true })
                {
                    // A person taken for a machine: hung up on, an abandon as regulators count it.
                    _hourAnswered[HourOf(now)]++;
                    _hourAbandoned[HourOf(now)]++;
                }
                _network.Hangup(call.Id);
                _calls.Remove(call.Id);
                return;
            case CallProgressKind.FarEndHangup:
                EndTalk(call, now);
                return;
            default: // busy, no answer, invalid, failed
                _estimator.RecordCall(seconds, answeredByPerson: false);
                _calls.Remove(call.Id);
                return;
        }
    }

    private void Connect(SimCall call, int agent, DateTimeOffset now)
    {
        var hour = HourOf(call.AnsweredAt!.Value);
        _hourAnswered[hour]++;
        _knownAnswered++;
        _hourConnected[HourOf(now)]++;
        _meter.Record(call.AnsweredAt.Value, abandoned: false);
        _calls.Remove(call.Id);
        call.Agent = agent;
        call.ConnectedAt = now;
        SetActivity(agent, AgentActivity.Talking, now);
        if (call.Outcome is { } o) _releaseAt[agent] = now + TimeSpan.FromSeconds(o.TalkSeconds + o.WrapSeconds);
        _network.Bridge(call.Id, agent.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private void Abandon(SimCall call)
    {
        if (call.ConnectedAt is not null || !_calls.ContainsKey(call.Id)) return;
        // Taken by an agent meanwhile would have removed it; otherwise it is at the head of the waiting queue or behind.
        _calls.Remove(call.Id);
        _network.Hangup(call.Id);
        var hour = HourOf(call.AnsweredAt!.Value);
        _hourAnswered[hour]++;
        _hourAbandoned[hour]++;
        _knownAnswered++;
        _knownAbandoned++;
        _meter.Record(call.AnsweredAt.Value, abandoned: true);
    }

    private void EndTalk(SimCall call, DateTimeOffset now)
    {
        var agent = call.Agent;
        var talk = (now - call.ConnectedAt!.Value).TotalSeconds;
        var wrap = call.Outcome?.WrapSeconds ?? _network.DrawWrapSeconds();
        SetActivity(agent, AgentActivity.WrapUp, now);
        _clock.CreateTimer(_ => Ready(agent, talk, wrap), null, TimeSpan.FromSeconds(wrap), Timeout.InfiniteTimeSpan);
    }

    private void Ready(int agent, double talk, double wrap)
    {
        var now = _clock.GetUtcNow();
        _estimator.RecordService(talk, wrap);
        _releaseAt[agent] = null;
        if (_leaving[agent])
        {
            SetActivity(agent, AgentActivity.NotReady, now);
            return;
        }
        SetActivity(agent, AgentActivity.Ready, now);
        while (_waiting.TryDequeue(out var call))
        {
            if (!_calls.ContainsKey(call.Id)) continue; // abandoned already
            Connect(call, agent, now);
            return;
        }
        _ready.Enqueue(agent);
    }

    private void LogIn(int agent)
    {
        var now = _clock.GetUtcNow();
        SetActivity(agent, AgentActivity.Ready, now);
        while (_waiting.TryDequeue(out var call))
        {
            if (!_calls.ContainsKey(call.Id)) continue;
            Connect(call, agent, now);
            return;
        }
        _ready.Enqueue(agent);
    }

    /// <summary>A ready agent leaves at once (<see cref="TryTakeReady"/> passes it over); a busy one after its wrap-up.</summary>
    private void LogOut(int agent)
    {
        _leaving[agent] = true;
        if (_agents[agent].Activity == AgentActivity.Ready) SetActivity(agent, AgentActivity.NotReady, _clock.GetUtcNow());
    }

    private bool TryTakeReady(out int agent)
    {
        while (_ready.TryDequeue(out agent))
            if (_agents[agent].Activity == AgentActivity.Ready) return true;
        return false;
    }

    private void SetActivity(int agent, AgentActivity activity, DateTimeOffset now)
    {
        Account(agent, now);
        _agents[agent] = new(activity, now);
    }

    /// <summary>Adds the agent's time in its current activity up to <paramref name="until"/> to the hour buckets.</summary>
    private void Account(int agent, DateTimeOffset until)
    {
        var (activity, since) = _agents[agent];
        if (activity == AgentActivity.NotReady) return;
        var busy = activity is AgentActivity.Talking or AgentActivity.WrapUp;
        var from = since;
        while (from < until)
        {
            var hour = HourOf(from);
            var hourEnd = _o.Start + TimeSpan.FromHours(hour + 1);
            var to = hourEnd < until ? hourEnd : until;
            var seconds = (to - from).TotalSeconds;
            if (busy) _hourBusy[hour] += seconds;
            else _hourIdle[hour] += seconds;
            from = to;
        }
    }

    private int HourOf(DateTimeOffset t) => Math.Clamp((int)((t - _o.Start).Ticks / TimeSpan.TicksPerHour), 0, _hourCalls.Length - 1);

    private sealed class SimCall(DateTimeOffset started)
    {
        public long Id { get; set; }
        public DateTimeOffset Started { get; } = started;
        public DateTimeOffset? AnsweredAt { get; set; }
        public DateTimeOffset? ConnectedAt { get; set; }
        public int Agent { get; set; }
        public long Customer { get; init; }
        /// <summary>The customer's outcome, known with common random numbers (the truth behind a machine report).</summary>
        public CustomerOutcome? Outcome { get; set; }
    }
}
