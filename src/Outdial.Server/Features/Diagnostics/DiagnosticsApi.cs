using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Outdial.Engine.Agents;
using Outdial.Engine.Diagnostics;
using Outdial.Engine.Operations;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Diagnostics;

internal static class DiagnosticsApi
{
    public sealed record DiagnosticsDto(
        IReadOnlyList<CampaignBlocker> Blockers, long Callable, IReadOnlyDictionary<NotCallableReason, long> NotCallable,
        IReadOnlyList<long> CallableInNextHours, int ReadyAgents, int LoggedInAgents, double AbandonRate24h, double AbandonRateTarget,
        DateTimeOffset At, PendingReevaluation? ReevaluationPending);

    /// <summary>"Why isn't it dialing?": campaign blockers, records by the reason they are not callable now, and a 24-hour forecast.</summary>
    public static void MapDiagnosticsApi(this RouteGroupBuilder api) =>
        api.MapGet("/campaigns/{campaignId}/diagnostics", async Task<Results<Ok<DiagnosticsDto>, ProblemHttpResult>> (
            string campaignId, ClaimsPrincipal user, IStore store, TimeProvider time, CancellationToken ct) =>
        {
            var tenant = user.TenantId();
            var now = time.GetUtcNow();
            var id = Validate.Id(campaignId, "campaignId");
            if (await store.GetCampaignAsync(tenant, id, ct) is not { } campaign) return Problem.NotFound($"campaign '{campaignId}'");
            var builder = new DiagnosisBuilder(campaign, now);
            await store.EvaluateCampaignRecordsAsync(tenant, id, now, builder.Add, ct);
            var sessions = await store.ListAgentSessionsAsync(tenant, id, ct);
            var ready = sessions.Count(s => s.State == AgentState.Ready);
            var rate = (await store.GetAbandonRateAsync(tenant, id, TimeSpan.FromHours(24), now, ct)).Percent;
            var diagnosis = builder.Build(ready, rate);
            // A change (window, caps, RetryCount, a DNC entry removed) whose re-evaluation of waiting records is still running:
            // until it ends, some records counted callable here may still be parked in the pick queue.
            var pending = await store.GetPendingReevaluationAsync(tenant, id, ct);
            return TypedResults.Ok(new DiagnosticsDto(diagnosis.Blockers, diagnosis.Callable, diagnosis.Reasons, diagnosis.Forecast,
                ready, sessions.Count, rate, campaign.AbandonRate, now, pending));
        })
        .WithTags("Campaigns")
        .WithDescription("Why isn't it dialing? Campaign-level blockers, counts of records by the reason they cannot be called now, how many become callable in each of the next 24 hours, and whether a re-evaluation of waiting records after a change is still pending (reevaluationPending).");
}
