using System.Threading.Channels;
using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Pacing;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;
using Outdial.Engine.Telephony;

namespace Outdial.Engine.Dialing;

public sealed record RunnerOptions
{
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(25);
    /// <summary>Agents are simulated: they take bridged calls, wrap up for a drawn time and set a result themselves (demo).</summary>
    public bool SimulateAgents { get; init; }
    /// <summary>Decide again at least this often even without events (new records may have become callable).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(1);
    public PacerOptions Pacer { get; init; } = new();
    public PickerOptions Picker { get; init; } = new();
}

/// <summary>
/// Dials one campaign: on every call and agent event it asks the pacer how many calls to place, takes leased records from the
/// picker, starts attempts in the store, originates through the telephony port, bridges answered calls to ready agents
/// (or abandons them after the grace time), and finishes attempts with their result.
/// </summary>
/// <remarks>All state changes run on one loop (a channel of events), so no locks guard the runner's state.</remarks>
public sealed partial class CampaignRunner : IAsyncDisposable
{
    private abstract record Signal;
    private sealed record Progress(CallProgress Event) : Signal;
    private sealed record Tick : Signal;
    private sealed record AbandonDue(long CallId) : Signal;
    private sealed record WrapDone(string AgentId) : Signal;
    private sealed record AgentsChanged : Signal;
    private sealed record AgentCompletes(string AgentId, AttemptOutcome Outcome, TaskCompletionSource<bool> Done, long? Handle) : Signal;

    private sealed class Call(long id, string attemptId, int phoneIndex, long recordSerial, DateTimeOffset started)
    {
        public long Id { get; } = id;
        public string AttemptId { get; } = attemptId;
        public int PhoneIndex { get; } = phoneIndex;
        public long RecordSerial { get; } = recordSerial;
        public DateTimeOffset Started { get; } = started;
        public DateTimeOffset? Answered { get; set; }
        public CallPhase Phase { get; set; } = CallPhase.Dialing;
        public string? AgentId { get; set; }
        public DateTimeOffset? TalkEnded { get; set; }
        /// <summary>The record's lease for this call; renewed while the call lasts (see RenewCallLeasesAsync).</summary>
        public RecordLease? Lease { get; set; }

        /// <summary>
        /// The timer of the call's next step (abandon after the grace time, the simulated agent's end of wrap-up), held here:
        /// ITimer does not promise that an unreferenced timer still fires (FakeTimeProvider's finalizer cancels it), and a
        /// lost one left the customer on hold or the agent in wrap-up for good.
        /// </summary>
        private ITimer? _timer;

        public void Arm(ITimer timer)
        {
            _timer?.Dispose();
            _timer = timer;
        }

        public void Disarm()
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private readonly IStore _store;
    private readonly ITelephony _telephony;
    private readonly EventBus _events;
    private readonly TimeProvider _time;
    private readonly long _tenant;
    private readonly RunnerOptions _options;
    private readonly Func<double> _drawWrapSeconds;
    private readonly Random _random;
    private readonly Pacer _pacer;
    private readonly OutcomeEstimator _estimator = new();
    private readonly AbandonMeter _meter = new();
    private readonly CallablePicker _picker;
    private readonly Channel<Signal> _signals = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<long, Call> _calls = [];
    private readonly Dictionary<string, AgentView> _agents = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly EventBus.Subscription _agentEvents;
    private ITimer? _heartbeat;
    private readonly Lock _heartbeatLock = new();
    private Task? _loop;
    private bool _noRecords;
    private PacingReason? _lastHold;

    public CampaignRunner(IStore store, ITelephony telephony, EventBus events, TimeProvider time, long tenant, Campaign campaign,
        RunnerOptions? options = null, Func<double>? drawWrapSeconds = null, int seed = 0)
    {
        _store = store;
        _telephony = telephony;
        _events = events;
        _time = time;
        _tenant = tenant;
        Campaign = campaign;
        _options = options ?? new RunnerOptions();
        _random = new Random(seed);
        _drawWrapSeconds = drawWrapSeconds ?? (() => 15);
        _pacer = new Pacer(_options.Pacer);
        _picker = new CallablePicker(store, tenant, campaign.Id, $"runner:{campaign.Id}:{Guid.NewGuid():N}", time, _options.Picker);
        _agentEvents = events.Subscribe(tenant, new HashSet<string>(StringComparer.Ordinal) { EventTypes.AgentState });
        // The self-tuned ratio goes on from the campaign's stored value, not from the first decision after a start (nor is
        // it saved as 0 by a runner stopped before it decided anything).
        if (campaign.DialingMode == DialingMode.PREDICTIVE && campaign.IncreasePredictiveRatio > 0)
        {
            _ratio.Resume(campaign.IncreasePredictiveRatio, time.GetUtcNow());
            IncreasePredictiveRatio = _ratioSavedValue = campaign.IncreasePredictiveRatio;
        }
    }

    public Campaign Campaign { get; private set; }

    public int CallsInFlight => _calls.Count;

    /// <summary>
    /// True when no event waits, none is being handled and no buffer refill is under way (it claims with the time it
    /// started at): on virtual time, the moment to advance the clock.
    /// </summary>
    public bool IsIdle => Volatile.Read(ref _busy) == 0 && !_signals.Reader.TryPeek(out _) && !_agentEvents.Reader.TryPeek(out _) && !_picker.IsRefilling;

    private int _busy;

    public void Start()
    {
        Interlocked.Increment(ref _busy); // busy until the start-up reads are done (IsIdle is false meanwhile)
        _loop = Task.Run(() => LoopAsync(_stop.Token));
        _ = Task.Run(ForwardAgentEventsAsync);
    }

    /// <summary>Applies campaign changes (mode, target, window) from the next decision on.</summary>
    public void Update(Campaign campaign)
    {
        var statusChanged = campaign.Status != Campaign.Status;
        Campaign = campaign;
        if (statusChanged) Post(new Tick()); // a Handled campaign Active again dials now, not at the next heartbeat
    }

    /// <summary>An agent finishes the call it handled with a result (and classifier, amount, callback).</summary>
    /// <param name="handle">When given, the record the agent must hold: its call, or its preview not dialed through the dialer
    /// (the agent called the customer another way), which is then recorded as an attempt with this outcome.</param>
    /// <returns>False when the agent holds no call of this campaign (or no record under <paramref name="handle"/>).</returns>
    public Task<bool> CompleteAsync(string agentId, AttemptOutcome outcome, long? handle = null)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(new AgentCompletes(agentId, outcome, done, handle));
        return done.Task;
    }

    private void Post(Signal signal)
    {
        Interlocked.Increment(ref _busy);
        if (!_signals.Writer.TryWrite(signal)) Interlocked.Decrement(ref _busy);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        try
        {
            await StartUpAsync(ct);
            // The heartbeat starts with the loop: ticks posted while start-up still reads (or waits to read again) would
            // pile up unread and keep the runner from ever looking idle.
            lock (_heartbeatLock) _heartbeat = ct.IsCancellationRequested ? null : _time.CreateTimer(_ => Post(new Tick()), null, _options.Heartbeat, _options.Heartbeat);
            Post(new Tick());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // stopped during start-up
        }
        finally
        {
            Interlocked.Decrement(ref _busy);
        }
        try
        {
            await foreach (var signal in _signals.Reader.ReadAllAsync(ct))
            {
                try
                {
                    await HandleAsync(signal, ct);
                    if (!_signals.Reader.TryPeek(out _)) await DecideAsync(ct); // one decision per burst of events
                }
                // A cancellation that is not the runner's own (a store or adapter timing out) is a failure like any other:
                // let through, it would end the loop and leave the campaign silently not dialing.
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    _events.Publish(_tenant, new DialerFailed(Campaign.Id, e.Message, Retrying: false));
                    Fail(signal, e);
                }
                finally
                {
                    Interlocked.Decrement(ref _busy);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Reads the agents and the pacing history; a failed read (the store busy or unreachable) is reported and
    /// tried again after 1, 2, 4 … 30 s instead of ending the loop, which would leave the campaign silently not dialing.</summary>
    private async Task StartUpAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await ReloadAgentsAsync(ct);
                await LoadPacingHistoryAsync(ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                _events.Publish(_tenant, new DialerFailed(Campaign.Id, e.Message, Retrying: true));
            }
            await IdleForAsync(TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(attempt, 5))), ct);
        }
    }

    /// <summary>Waits without counting as busy, so a virtual clock can move on; busy again from the instant the wait ends
    /// (in the timer's callback, or the cancellation's), so the clock never moves past a runner that has not resumed yet.</summary>
    private async Task IdleForAsync(TimeSpan wait, CancellationToken ct)
    {
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = _time.CreateTimer(_ => { if (resumed.TrySetResult()) Interlocked.Increment(ref _busy); }, null, wait, Timeout.InfiniteTimeSpan);
        Interlocked.Decrement(ref _busy);
        await using (ct.Register(() => { if (resumed.TrySetCanceled(ct)) Interlocked.Increment(ref _busy); }))
            await resumed.Task;
    }

    /// <summary>A caller waiting for the signal's answer gets the failure instead of waiting forever.</summary>
    private static void Fail(Signal signal, Exception e)
    {
        var failure = new CampaignRunnerException("the dialer could not handle the request", e);
        _ = signal switch
        {
            AgentCompletes c => c.Done.TrySetException(failure),
            AgentPreview p => p.Done.TrySetException(failure),
            AgentDial d => d.Done.TrySetException(failure),
            AgentDecline d => d.Done.TrySetException(failure),
            _ => false,
        };
    }

    private async Task HandleAsync(Signal signal, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        switch (signal)
        {
            case Progress { Event: var p } when _calls.TryGetValue(p.CallId, out var call):
                await OnProgressAsync(call, p, now, ct);
                break;
            // Not one bridged after this timer had already fired (its signal was queued behind the bridge).
            case AbandonDue(var id) when _calls.TryGetValue(id, out var call) && call.Phase == CallPhase.AnsweredWaiting && call.AgentId is null:
                _telephony.Hangup(id);
                _meter.Record(call.Answered!.Value, abandoned: true);
                await FinishAsync(call, new AttemptOutcome(CallResult.ABANDONED, call.PhoneIndex), now, ct);
                break;
            case WrapDone(var agentId) when _agents.TryGetValue(agentId, out var agent) && agent.CallId is { } callId && _calls.TryGetValue(callId, out var call):
                var roll = _random.NextDouble();
                var result = roll < 0.35 ? CallResult.SUCCESS : roll < 0.8 ? CallResult.REFUSAL : CallResult.HANGUP;
                await CompleteCallAsync(agentId, agent, call, new AttemptOutcome(result, call.PhoneIndex)
                {
                    Classifier = result == CallResult.SUCCESS ? "Offer accepted" : result.ToString(),
                    Amount = result == CallResult.SUCCESS ? Math.Round((decimal)(_random.NextDouble() * 200), 2) : null,
                }, now, ct);
                break;
            case AgentCompletes c:
                if (_agents.TryGetValue(c.AgentId, out var holder) && holder.CallId is { } held && _calls.TryGetValue(held, out var heldCall)
                    && holder.State is AgentState.Talking or AgentState.WrapUp && (c.Handle is null || c.Handle == heldCall.RecordSerial))
                {
                    if (heldCall.TalkEnded is null) _telephony.Hangup(held);
                    await CompleteCallAsync(c.AgentId, holder, heldCall, c.Outcome with { PhoneIndex = heldCall.PhoneIndex }, now, ct);
                    c.Done.TrySetResult(true);
                }
                else if (c.Handle is { } handle && holder is not null && _previews.TryGetValue(c.AgentId, out var previewed) && previewed.Lease.RecordSerial == handle)
                {
                    await FinishPreviewAsync(c.AgentId, holder, previewed, c.Outcome, now, ct);
                    c.Done.TrySetResult(true);
                }
                else
                {
                    c.Done.TrySetResult(false);
                }
                break;
            case Tick:
                await RefreshCallbacksAsync(now, ct);
                await RenewCallLeasesAsync(now, ct);
                break;
            case AgentPreview preview:
                await OnPreviewAsync(preview, now, ct);
                break;
            case AgentDial dial:
                await OnDialAsync(dial, now, ct);
                break;
            case AgentDecline decline:
                await OnDeclineAsync(decline, now, ct);
                break;
            case AgentsChanged:
                // A logout lets go of what the ended session held, found by the reload (the agent has no session, or a
                // newer one). Not of the agent as such: its event may arrive after a new login and a preview of the new
                // session, which must be kept.
                await ReloadAgentsAsync(ct);
                await BridgeWaitingAsync(now, ct);
                break;
        }
    }

    private async Task OnProgressAsync(Call call, CallProgress p, DateTimeOffset now, CancellationToken ct)
    {
        _events.Publish(_tenant, new CallProgressed(Campaign.Id, call.Id, call.RecordSerial, p.Kind));
        var seconds = (now - call.Started).TotalSeconds;
        switch (p.Kind)
        {
            case CallProgressKind.Ringing:
                return;
            case CallProgressKind.AnsweredPerson when call.AgentId is { } owner && _agents.TryGetValue(owner, out var dialer):
                // A preview call: the agent who dialed takes it.
                call.Answered = now;
                await MoveAgentAsync(owner, dialer, AgentState.Talking, now, ct);
                _telephony.Bridge(call.Id, owner);
                _meter.Record(now, abandoned: false);
                _estimator.RecordCall(seconds, answeredByPerson: true); // the network's answer time, as any other call's
                return;
            case CallProgressKind.AnsweredPerson:
                _estimator.RecordCall(seconds, answeredByPerson: true);
                call.Answered = now;
                call.Phase = CallPhase.AnsweredWaiting;
                if (!await TryBridgeAsync(call, now, ct))
                    call.Arm(_time.CreateTimer(_ => Post(new AbandonDue(call.Id)), null, _pacer.Options.Grace, Timeout.InfiniteTimeSpan));
                return;
            case CallProgressKind.AnsweredMachine or CallProgressKind.AnsweredFax:
                _estimator.RecordCall(seconds, answeredByPerson: false);
                call.Answered = now;
                _telephony.Hangup(call.Id);
                await FinishAsync(call, new AttemptOutcome(p.Kind == CallProgressKind.AnsweredFax ? CallResult.FAX : CallResult.ANSWERING_MACHINE, call.PhoneIndex), now, ct);
                return;
            case CallProgressKind.FarEndHangup when call.AgentId is { } agentId && _agents.TryGetValue(agentId, out var agent):
                // The customer hung up after talking: the agent wraps up and then sets the result.
                call.TalkEnded = now;
                await MoveAgentAsync(agentId, agent, AgentState.WrapUp, now, ct);
                if (_options.SimulateAgents)
                    call.Arm(_time.CreateTimer(_ => Post(new WrapDone(agentId)), null, TimeSpan.FromSeconds(_drawWrapSeconds()), Timeout.InfiniteTimeSpan));
                return;
            case CallProgressKind.FarEndHangup:
                // A person who hung up while waiting for an agent was answered (as the attempt history counts it).
                if (call.Answered is { } answered && call.Phase == CallPhase.AnsweredWaiting) _meter.Record(answered, abandoned: false);
                await FinishAsync(call, new AttemptOutcome(CallResult.HANGUP, call.PhoneIndex), now, ct);
                return;
            default:
                _estimator.RecordCall(seconds, answeredByPerson: false);
                var result = p.Kind switch
                {
                    CallProgressKind.Busy => CallResult.BUSY,
                    CallProgressKind.NoAnswer => CallResult.NOANSWER,
                    CallProgressKind.InvalidNumber => CallResult.INVALID_NUMBER,
                    _ => CallResult.NOT_DIALED,
                };
                await FinishAsync(call, new AttemptOutcome(result, call.PhoneIndex), now, ct);
                return;
        }
    }

    private async Task<bool> TryBridgeAsync(Call call, DateTimeOffset now, CancellationToken ct)
    {
        // The agent who has waited longest takes the call; one the store refuses (its session changed since the last
        // look) is passed over for the next.
        string? ready = null;
        AgentView? agent = null;
        foreach (var (id, view) in _agents.Where(a => a.Value.State == AgentState.Ready).OrderBy(a => a.Value.Since).ToList())
        {
            if (!await MoveAgentAsync(id, view, AgentState.Talking, now, ct)) continue;
            (ready, agent) = (id, view);
            break;
        }
        if (ready is null || agent is null) return false;
        _telephony.Bridge(call.Id, ready);
        _meter.Record(call.Answered!.Value, abandoned: false);
        call.Disarm(); // taken after waiting: no longer abandoned
        call.AgentId = ready;
        agent.CallId = call.Id;
        return true;
    }

    private async Task BridgeWaitingAsync(DateTimeOffset now, CancellationToken ct)
    {
        foreach (var call in _calls.Values.Where(c => c.Phase == CallPhase.AnsweredWaiting && c.AgentId is null).OrderBy(c => c.Answered).ToList())
            if (!await TryBridgeAsync(call, now, ct)) return;
    }

    private async Task CompleteCallAsync(string agentId, AgentView agent, Call call, AttemptOutcome outcome, DateTimeOffset now, CancellationToken ct)
    {
        var talk = ((call.TalkEnded ?? now) - call.Answered!.Value).TotalSeconds;
        var wrap = call.TalkEnded is { } ended ? (now - ended).TotalSeconds : 0;
        _estimator.RecordService(talk, wrap);
        await FinishAsync(call, outcome, now, ct, new AttemptDetails { Answered = call.Answered, TalkSeconds = talk, WrapSeconds = wrap, AgentId = agentId, Disposition = outcome.Classifier });
        agent.CallId = null;
        // Completing while still talking ends the call with no wrap-up time; the state history keeps that step.
        if (agent.State == AgentState.Talking) await MoveAgentAsync(agentId, agent, AgentState.WrapUp, now, ct);
        await MoveAgentAsync(agentId, agent, AgentState.Ready, now, ct);
        await BridgeWaitingAsync(now, ct);
    }

    private async Task FinishAsync(Call call, AttemptOutcome outcome, DateTimeOffset now, CancellationToken ct, AttemptDetails? details = null)
    {
        _calls.Remove(call.Id);
        call.Disarm();
        details ??= new AttemptDetails { Answered = call.Answered, RingSeconds = ((call.Answered ?? now) - call.Started).TotalSeconds };
        var finish = await _store.FinishAttemptAsync(_tenant, call.AttemptId, outcome, details, now, ct);
        if (call.AgentId is { } owner && _agents.TryGetValue(owner, out var agent) && agent.CallId == call.Id && agent.State == AgentState.Dialing)
        {
            // A preview call that was not answered: the agent is free again.
            agent.CallId = null;
            await MoveAgentAsync(owner, agent, AgentState.Ready, now, ct);
        }
        _events.Publish(_tenant, new RecordProcessed(Campaign.Id, call.RecordSerial, outcome.Result, details.AgentId, finish.Progress?.State,
            finish.NextEligibleAt));
    }

    /// <summary>How long a call's lease is taken or extended for; renewed when less than a quarter of it is left.</summary>
    public static readonly TimeSpan CallLease = TimeSpan.FromHours(1);

    /// <summary>
    /// Keeps the lease of every call in flight ahead of the call: a call longer than its lease would otherwise let the record
    /// be claimed and dialed again while the customer is still on the line (that is how a crashed dialer's records return).
    /// </summary>
    private async Task RenewCallLeasesAsync(DateTimeOffset now, CancellationToken ct)
    {
        foreach (var call in _calls.Values)
        {
            if (call.Lease is not { } lease || lease.Until - now > CallLease / 4) continue;
            // Null when it was already lost (e.g. the process stalled past it): the finish then updates the attempt only.
            call.Lease = await _store.RenewLeaseAsync(_tenant, lease, CallLease, now, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_heartbeatLock) _heartbeat?.Dispose();
        _agentEvents.Dispose();
        if (_loop is not null) await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing); // it ends by itself on _stop
        if (Campaign.DialingMode == DialingMode.PREDICTIVE) await SaveRatioAsync(_time.GetUtcNow(), CancellationToken.None);
        foreach (var call in _calls.Values)
        {
            call.Disarm();
            _telephony.Hangup(call.Id);
        }
        await ReleasePreviewsAsync(_ => true, CancellationToken.None);
        await ReleaseCallbacksAsync();
        await _picker.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>The runner failed while handling an agent's request (a store write threw); see the inner exception.</summary>
public sealed class CampaignRunnerException(string message, Exception inner) : Exception(message, inner);
