using Outdial.Engine.Agents;
using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;
using Outdial.Engine.Telephony;

namespace Outdial.Engine.Dialing;

/// <summary>Agent-driven work: a preview record held under a stable integer handle (the record's serial), dialed, skipped or rejected.</summary>
public sealed partial class CampaignRunner
{
    private sealed record AgentPreview(string AgentId, TaskCompletionSource<ClaimedRecord?> Done) : Signal;
    private sealed record AgentDial(string AgentId, long Handle, TaskCompletionSource<string?> Done) : Signal;
    private sealed record AgentDecline(string AgentId, long Handle, CallResult Result, TaskCompletionSource<string?> Done) : Signal;

    private readonly Dictionary<string, ClaimedRecord> _previews = new(StringComparer.Ordinal);

    /// <summary>Leases the next record for a Ready agent to preview; null when nothing is callable now.</summary>
    /// <exception cref="InvalidOperationException">the agent is not Ready in this campaign</exception>
    public Task<ClaimedRecord?> PreviewAsync(string agentId) => Ask<ClaimedRecord?>(done => new AgentPreview(agentId, done));

    /// <summary>Dials the previewed record; the agent hears the call and takes it when answered.</summary>
    /// <returns>Null when dialed, else why not (wrong handle, refused at the moment of dialing: DNC, caps).</returns>
    public Task<string?> DialAsync(string agentId, long handle) => Ask<string?>(done => new AgentDial(agentId, handle, done));

    /// <summary>Skips (SKIP) or rejects (AGENT_REJECTED) the previewed record without dialing; the campaign's rule for that result applies.</summary>
    public Task<string?> DeclineAsync(string agentId, long handle, bool reject) =>
        Ask<string?>(done => new AgentDecline(agentId, handle, reject ? CallResult.AGENT_REJECTED : CallResult.SKIP, done));

    private Task<T> Ask<T>(Func<TaskCompletionSource<T>, Signal> signal)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(signal(done));
        return done.Task;
    }

    private async Task OnPreviewAsync(AgentPreview preview, DateTimeOffset now, CancellationToken ct)
    {
        // A login, logout or state change the session API answered reaches the runner one event hop later: read the
        // sessions first, so a client that logs in (or sets Ready) and asks for a record at once is served, and a record is
        // never taken under the view of a session that has ended (a logout and a new login it has not seen yet).
        await ReloadAgentsAsync(ct);
        if (!ReadyToPreview(preview.AgentId, out var agent))
        {
            preview.Done.TrySetException(new InvalidOperationException("the agent must be Ready in this campaign, with no record in preview"));
            return;
        }
        var record = await NextRecordAsync(preview.AgentId, ct);
        if (record is null)
        {
            preview.Done.TrySetResult(null);
            return;
        }
        // The picker's lease is short; a preview lasts as long as the record's or campaign's preview time allows.
        var leaseFor = TimeSpan.FromSeconds(record.Record.PreviewTime is > 0 and var seconds ? seconds + 60 : 15 * 60);
        if (await _store.RenewLeaseAsync(_tenant, record.Lease, leaseFor, now, ct) is { } renewed) record = record with { Lease = renewed };
        if (!await MoveAgentAsync(preview.AgentId, agent, AgentState.Preview, now, ct))
        {
            // The session changed between the read above and this move: the record goes back.
            await _store.ReleaseLeaseAsync(_tenant, record.Lease, ct);
            preview.Done.TrySetException(new InvalidOperationException("the agent's session changed meanwhile: ask again"));
            return;
        }
        _previews[preview.AgentId] = record;
        preview.Done.TrySetResult(record);
    }

    private bool ReadyToPreview(string agentId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AgentView? agent) =>
        _agents.TryGetValue(agentId, out agent) && agent.State == AgentState.Ready && !_previews.ContainsKey(agentId);

    /// <summary>Gives back records held in preview by agents who are gone (logged out) or when the runner stops.</summary>
    private async Task ReleasePreviewsAsync(Func<string, bool> which, CancellationToken ct)
    {
        foreach (var (agentId, record) in _previews.Where(p => which(p.Key)).ToList())
        {
            _previews.Remove(agentId);
            await _store.ReleaseLeaseAsync(_tenant, record.Lease, ct);
        }
    }

    private async Task OnDialAsync(AgentDial dial, DateTimeOffset now, CancellationToken ct)
    {
        if (!_previews.TryGetValue(dial.AgentId, out var record) || record.Lease.RecordSerial != dial.Handle || !_agents.TryGetValue(dial.AgentId, out var agent))
        {
            dial.Done.TrySetResult($"the agent holds no record with handle {dial.Handle}");
            return;
        }
        _previews.Remove(dial.AgentId);
        var start = await _store.StartAttemptAsync(_tenant, record.Lease, _options.RingTimeout + CallLease, now, ct);
        if (start.Status != AttemptStartStatus.Started)
        {
            await MoveAgentAsync(dial.AgentId, agent, AgentState.Ready, now, ct);
            dial.Done.TrySetResult($"the record cannot be dialed now: {start.Reason}");
            return;
        }
        var id = _telephony.Originate(new OriginateRequest(start.Number!, Campaign.CallerId, _options.RingTimeout), p => Post(new Progress(p)));
        _calls[id] = new Call(id, start.AttemptId!, start.PhoneIndex, record.Lease.RecordSerial, now) { AgentId = dial.AgentId, Lease = start.Lease };
        agent.CallId = id;
        await MoveAgentAsync(dial.AgentId, agent, AgentState.Dialing, now, ct);
        dial.Done.TrySetResult(null);
    }

    private async Task OnDeclineAsync(AgentDecline decline, DateTimeOffset now, CancellationToken ct)
    {
        if (!_previews.TryGetValue(decline.AgentId, out var record) || record.Lease.RecordSerial != decline.Handle || !_agents.TryGetValue(decline.AgentId, out var agent))
        {
            decline.Done.TrySetResult($"the agent holds no record with handle {decline.Handle}");
            return;
        }
        await FinishPreviewAsync(decline.AgentId, agent, record, new AttemptOutcome(decline.Result, 0), now, ct);
        decline.Done.TrySetResult(null);
    }

    /// <summary>Ends a previewed record without a call through the dialer: recorded as an attempt, so OBI's
    /// numberOfSkipCalls / numberOfRejectCalls count it and the campaign's rule for the outcome applies.</summary>
    private async Task FinishPreviewAsync(string agentId, AgentView agent, ClaimedRecord record, AttemptOutcome outcome, DateTimeOffset now, CancellationToken ct)
    {
        _previews.Remove(agentId);
        var start = await _store.StartAttemptAsync(_tenant, record.Lease, TimeSpan.FromMinutes(1), now, ct);
        if (start.Status == AttemptStartStatus.Started)
            await _store.FinishAttemptAsync(_tenant, start.AttemptId!, outcome with { PhoneIndex = start.PhoneIndex },
                new AttemptDetails { AgentId = agentId, Disposition = outcome.Classifier }, now, ct);
        await MoveAgentAsync(agentId, agent, AgentState.Ready, now, ct);
    }
}
