using System.Security.Claims;
using Outdial.Engine.Diagnostics;
using Outdial.Engine.Operations.Diagnostics;
using Outdial.Engine.Selection;
using Outdial.Server.Auth;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Diagnostics;

internal static class DiagnosticsApi
{
    public sealed record PendingReevaluationDto(DateTimeOffset Since, int Changes, IReadOnlyList<string> Reasons);

    public sealed record DiagnosticsDto(
        IReadOnlyList<CampaignBlocker> Blockers, long Callable, IReadOnlyDictionary<NotCallableReason, long> NotCallable,
        IReadOnlyList<long> CallableInNextHours, int ReadyAgents, int LoggedInAgents, double AbandonRate24h, double AbandonRateTarget,
        DateTimeOffset At, PendingReevaluationDto? ReevaluationPending);

    /// <summary>"Why isn't it dialing?": campaign blockers, records by the reason they are not callable now, and a 24-hour forecast.</summary>
    public static void MapDiagnosticsApi(this RouteGroupBuilder api) =>
        api.MapGet("/campaigns/{campaignId}/diagnostics", async (string campaignId, ClaimsPrincipal user, DiagnosticsOperations diagnostics, CancellationToken ct) =>
        {
            var d = await diagnostics.DiagnoseAsync(user.TenantId(), campaignId, ct);
            return TypedResults.Ok(new DiagnosticsDto(d.Diagnosis.Blockers, d.Diagnosis.Callable, d.Diagnosis.Reasons, d.Diagnosis.Forecast,
                d.ReadyAgents, d.LoggedInAgents, d.AbandonRate24h, d.AbandonRateTarget, d.At,
                d.ReevaluationPending is { } p ? new PendingReevaluationDto(p.Since, p.Changes, p.Reasons) : null));
        })
        .WithTags("Campaigns")
        .WithSummary("Why isn't the campaign dialing?")
        .WithDescription("Why isn't it dialing? Campaign-level blockers, counts of records by the reason they cannot be called now, how many become callable in each of the next 24 hours, and whether a re-evaluation of waiting records after a change is still pending (reevaluationPending).")
        .WithId("campaignId", "The campaign's id.").ProducesInvalid().ProducesNotFound();
}
