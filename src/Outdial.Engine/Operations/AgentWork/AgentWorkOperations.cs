using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.AgentWork;

/// <summary>How an agent ends a call: the result and what goes with it (an adapter's completion request, parsed).</summary>
/// <param name="CallbackType">Personal (the default: the agent gets the callback) or Campaign (any agent may take it).</param>
public sealed record Completion(CallResult? Result, string? Classifier = null, decimal? Amount = null, DateTimeOffset? CallbackAt = null,
    string? CallbackType = null, Script? Script = null);

/// <summary>
/// What an agent does with records: take the next preview record, dial, skip or reject it, complete the call with a result.
/// A held record is addressed by its stable integer handle (the record's serial).
/// </summary>
/// <remarks>Every method needs the agent logged in to a campaign that is being dialed in this process: otherwise a
/// <see cref="ErrorKind.NotFound"/> (no such agent) or <see cref="ErrorKind.Conflict"/> (not logged in, campaign not dialed,
/// nothing to act on) <see cref="OperationException"/>.</remarks>
public sealed class AgentWorkOperations(IStore store, RunningCampaigns runners, EventBus events, TimeProvider time)
{
    /// <summary>Calling windows are searched days past a callback's time; the calendar ends with 9999.</summary>
    internal static readonly DateTimeOffset LatestCallback = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The store keeps amounts as doubles: larger ones do not read back as a decimal (and lose cents long before).</summary>
    internal const decimal MaxAmount = 1_000_000_000_000_000m;

    /// <summary>The next record to preview, held for this agent; null when none is callable now. Published as a
    /// record.offered event (with <paramref name="reference"/>, the caller's correlation id) either way.</summary>
    public async Task<ClaimedRecord?> PreviewAsync(long tenant, string agentId, CancellationToken ct, string? reference = null)
    {
        var (runner, aid) = await RunnerOfAsync(tenant, agentId, ct);
        ClaimedRecord? offered;
        try
        {
            offered = await runner.PreviewAsync(aid);
        }
        catch (InvalidOperationException e) // the runner refuses a preview it cannot give (not a preview campaign, one held)
        {
            throw OperationException.Conflict(e.Message);
        }
        var list = offered is null ? null : await store.GetCallingListAsync(tenant, offered.Record.ListId, ct);
        events.Publish(tenant, new RecordOffered(aid, runner.Campaign.Id, runner.Campaign.Name, offered, list?.Name, reference));
        return offered;
    }

    /// <summary>The campaign the agent works in (logged in, and being dialed here).</summary>
    public async Task<Campaign> CampaignOfAsync(long tenant, string agentId, CancellationToken ct) =>
        (await RunnerOfAsync(tenant, agentId, ct)).Runner.Campaign;

    public Task DialAsync(long tenant, string agentId, long handle, CancellationToken ct) =>
        ActAsync(tenant, agentId, (r, aid) => r.DialAsync(aid, handle), ct);

    public Task SkipAsync(long tenant, string agentId, long handle, CancellationToken ct) =>
        ActAsync(tenant, agentId, (r, aid) => r.DeclineAsync(aid, handle, reject: false), ct);

    public Task RejectAsync(long tenant, string agentId, long handle, CancellationToken ct) =>
        ActAsync(tenant, agentId, (r, aid) => r.DeclineAsync(aid, handle, reject: true), ct);

    /// <summary>Ends the agent's call with a result: the campaign's result rules then decide the record's next step.</summary>
    public async Task CompleteAsync(long tenant, string agentId, Completion completion, CancellationToken ct)
    {
        var result = Check(completion, time.GetUtcNow());
        var (runner, aid) = await RunnerOfAsync(tenant, agentId, ct);
        if (!await runner.CompleteAsync(aid, OutcomeOf(completion, result, aid))) throw OperationException.Conflict("the agent holds no call to complete");
    }

    /// <summary>Ends the record the agent holds under <paramref name="handle"/> (its call, or its preview when the agent
    /// called the customer another way) with the completion's result, and publishes an agent.work event of
    /// <paramref name="kind"/> carrying the caller's reference and echoed fields.</summary>
    /// <param name="then">Work that goes with the completion (a do-not-call entry), given the campaign's id: done once the
    /// record is ended and before the event announces it.</param>
    public async Task FinishHeldAsync(long tenant, string agentId, long handle, Completion completion, AgentWorkKind kind, string? reference,
        IReadOnlyDictionary<string, string>? echo, CancellationToken ct, Func<string, Task>? then = null)
    {
        var result = Check(completion, time.GetUtcNow());
        var (runner, aid) = await RunnerOfAsync(tenant, agentId, ct);
        if (!await runner.CompleteAsync(aid, OutcomeOf(completion, result, aid), handle))
            throw OperationException.Conflict($"the agent holds no record with handle {handle}");
        if (then is not null) await then(runner.Campaign.Id);
        events.Publish(tenant, new AgentWorkDone(aid, runner.Campaign.Id, handle, kind, result, reference, echo));
    }

    private static AttemptOutcome OutcomeOf(Completion completion, CallResult result, string agentId) => new(result, 0)
    {
        Classifier = completion.Classifier,
        Amount = completion.Amount,
        CallbackAt = completion.CallbackAt,
        CallbackAgentId = completion.CallbackAt is not null && completion.CallbackType != "Campaign" ? agentId : null,
        Script = completion.Script,
    };

    /// <summary>The completion's fields against their rules, before anything is looked up; the result to apply.</summary>
    internal static CallResult Check(Completion c, DateTimeOffset now)
    {
        if (c.Result is not { } result || result is CallResult.DIALING or CallResult.MAXCALLS)
            throw new ValidationException("'result' is required and must be a final or retry result (not DIALING or MAXCALLS)", "result");
        if (c.CallbackAt is { } at && at <= now) throw new ValidationException("'callbackAt' must be in the future", "callbackAt");
        if (c.CallbackAt >= LatestCallback) throw new ValidationException($"'callbackAt' must be before {LatestCallback:yyyy-MM-dd}", "callbackAt");
        if (c.Amount is { } amount && Math.Abs(amount) >= MaxAmount)
            throw new ValidationException($"'amount' must be less than {MaxAmount:N0} in absolute value", "amount");
        if (c.CallbackType is not (null or "Personal" or "Campaign")) throw new ValidationException("'callbackType' must be Personal or Campaign", "callbackType");
        Validate.Optional(c.Classifier, "classifier", 200);
        if (c.Script is { } script && (string.IsNullOrWhiteSpace(script.Name) || script.Name.Length > 200 || script.Answers is null || script.Answers.Count > 200
            || script.Answers.Any(a => a?.Question is null || a.Answer is null || a.Question.Length > 4000 || a.Answer.Length > 4000)))
            throw new ValidationException("'script' needs a name of at most 200 characters and at most 200 answers, each with a question and an answer of at most 4000 characters", "script");
        return result;
    }

    private async Task ActAsync(long tenant, string agentId, Func<CampaignRunner, string, Task<string?>> action, CancellationToken ct)
    {
        var (runner, aid) = await RunnerOfAsync(tenant, agentId, ct);
        if (await action(runner, aid) is { } error) throw OperationException.Conflict(error);
    }

    /// <summary>The runner of the campaign the agent is logged in to, and the agent's normalized id32 (the runner knows agents
    /// by it, whatever form the caller used: lower case, id36).</summary>
    private async Task<(CampaignRunner Runner, string AgentId)> RunnerOfAsync(long tenant, string agentId, CancellationToken ct)
    {
        if (!Id32.TryNormalize(agentId, out var aid) || await store.GetAgentAsync(tenant, aid, ct) is null)
            throw OperationException.NotFound($"agent '{agentId}'");
        if (await store.GetAgentSessionAsync(tenant, aid, ct) is not { } session) throw OperationException.Conflict("the agent is not logged in");
        return runners.Find(tenant, session.CampaignId) is { } runner
            ? (runner, aid)
            : throw OperationException.Conflict($"campaign '{session.CampaignId}' is not being dialed: set it Active");
    }
}
