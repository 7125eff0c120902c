using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Rules;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Features.Dialing;
using Outdial.Server.Features.Records;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Agents;

/// <summary>
/// What an agent does with records: take the next preview record, dial, skip or reject it, and complete the call with a
/// result. A held record is addressed by its stable integer handle (the record's serial).
/// </summary>
internal static class AgentWorkApi
{
    public sealed record PreviewDto(long Handle, int PhoneIndex, string? Number, RecordDto Record);

    public sealed record CompleteInput(CallResult? Result, string? Classifier = null, decimal? Amount = null,
        [property: JsonConverter(typeof(OffsetRequired))] DateTimeOffset? CallbackAt = null, string? CallbackType = null, Script? Script = null);

    /// <summary>Calling windows are searched days past a callback's time; the calendar ends with 9999.</summary>
    private static readonly DateTimeOffset LatestCallback = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The store keeps amounts as doubles: larger ones do not read back as a decimal (and lose cents long before).</summary>
    private const decimal MaxAmount = 1_000_000_000_000_000m;

    public static void MapAgentWorkApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/agents/{agentId}/session").WithTags("Agent sessions").RequireAuthorization(Policies.Agent)
            .RequireSelfForAgentKeys();

        group.MapPost("/preview", async (string agentId, ClaimsPrincipal user, IStore store, DialerService dialer, CancellationToken ct) =>
        {
            var (runner, aid, problem) = await RunnerOf(agentId, user, store, dialer, ct);
            if (problem is not null) return (IResult)problem;
            ClaimedRecord? record;
            try
            {
                record = await runner!.PreviewAsync(aid!);
            }
            catch (InvalidOperationException e)
            {
                return Problem.Conflict(e.Message);
            }
            if (record is null) return TypedResults.NoContent();
            var number = record.Record.Phones.ElementAtOrDefault(record.PhoneIndex)?.E164;
            return TypedResults.Ok(new PreviewDto(record.Lease.RecordSerial, record.PhoneIndex, number,
                new StoredRecord(record.Record, [record.Progress]).AsDto()));
        });

        group.MapPost("/records/{handle:long}/dial", (string agentId, long handle, ClaimsPrincipal user, IStore store, DialerService dialer, CancellationToken ct) =>
            Act(agentId, user, store, dialer, (r, aid) => r.DialAsync(aid, handle), TypedResults.Accepted((string?)null), ct));
        group.MapPost("/records/{handle:long}/skip", (string agentId, long handle, ClaimsPrincipal user, IStore store, DialerService dialer, CancellationToken ct) =>
            Act(agentId, user, store, dialer, (r, aid) => r.DeclineAsync(aid, handle, reject: false), TypedResults.NoContent(), ct));
        group.MapPost("/records/{handle:long}/reject", (string agentId, long handle, ClaimsPrincipal user, IStore store, DialerService dialer, CancellationToken ct) =>
            Act(agentId, user, store, dialer, (r, aid) => r.DeclineAsync(aid, handle, reject: true), TypedResults.NoContent(), ct));

        group.MapPost("/complete", async (string agentId, CompleteInput input, ClaimsPrincipal user, IStore store, DialerService dialer, TimeProvider time, CancellationToken ct) =>
        {
            if (input.Result is not { } result || result is CallResult.DIALING or CallResult.MAXCALLS)
                return (IResult)Problem.BadRequest("'result' is required and must be a final or retry result (not DIALING or MAXCALLS)");
            if (input.CallbackAt is { } at && at <= time.GetUtcNow()) return Problem.BadRequest("'callbackAt' must be in the future");
            if (input.CallbackAt >= LatestCallback) return Problem.BadRequest($"'callbackAt' must be before {LatestCallback:yyyy-MM-dd}");
            if (input.Amount is { } amount && Math.Abs(amount) >= MaxAmount)
                return Problem.BadRequest($"'amount' must be less than {MaxAmount:N0} in absolute value");
            if (input.CallbackType is not (null or "Personal" or "Campaign")) return Problem.BadRequest("'callbackType' must be Personal or Campaign");
            Validate.Optional(input.Classifier, "classifier", 200);
            if (input.Script is { } script && (string.IsNullOrWhiteSpace(script.Name) || script.Name.Length > 200 || script.Answers is null || script.Answers.Count > 200
                || script.Answers.Any(a => a?.Question is null || a.Answer is null || a.Question.Length > 4000 || a.Answer.Length > 4000)))
                return Problem.BadRequest("'script' needs a name of at most 200 characters and at most 200 answers, each with a question and an answer of at most 4000 characters");
            var (runner, aid, problem) = await RunnerOf(agentId, user, store, dialer, ct);
            if (problem is not null) return problem;
            var outcome = new AttemptOutcome(result, 0)
            {
                Classifier = input.Classifier,
                Amount = input.Amount,
                CallbackAt = input.CallbackAt,
                CallbackAgentId = input.CallbackAt is not null && input.CallbackType != "Campaign" ? aid : null,
                Script = input.Script,
            };
            return await runner!.CompleteAsync(aid!, outcome) ? TypedResults.NoContent() : Problem.Conflict("the agent holds no call to complete");
        });
    }

    private static async Task<IResult> Act(string agentId, ClaimsPrincipal user, IStore store, DialerService dialer,
        Func<CampaignRunner, string, Task<string?>> action, IResult success, CancellationToken ct)
    {
        // The runner knows agents by their normalized id32, whatever form the route used (lower case, id36).
        var (runner, aid, problem) = await RunnerOf(agentId, user, store, dialer, ct);
        if (problem is not null) return problem;
        return await action(runner!, aid!) is { } error ? Problem.Conflict(error) : success;
    }

    private static async Task<(CampaignRunner? Runner, string? AgentId, ProblemHttpResult? Problem)> RunnerOf(
        string agentId, ClaimsPrincipal user, IStore store, DialerService dialer, CancellationToken ct)
    {
        if (!Id32.TryNormalize(agentId, out var aid)) return (null, null, Problem.NotFound($"agent '{agentId}'"));
        var tenant = user.TenantId();
        if (await store.GetAgentAsync(tenant, aid, ct) is null) return (null, null, Problem.NotFound($"agent '{agentId}'"));
        if (await store.GetAgentSessionAsync(tenant, aid, ct) is not { } session)
            return (null, aid, Problem.Conflict("the agent is not logged in"));
        return dialer.Runner(tenant, session.CampaignId) is { } runner
            ? (runner, aid, null)
            : (null, aid, Problem.Conflict($"campaign '{session.CampaignId}' is not being dialed: set it Active"));
    }
}
