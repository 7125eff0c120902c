using Outdial.Engine.Agents;
using Outdial.Engine.Diagnostics;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Diagnostics;

/// <summary>"Why isn't it dialing?" for one campaign at <see cref="At"/>.</summary>
public sealed record CampaignDiagnostics(
    CampaignDiagnosis Diagnosis, int ReadyAgents, int LoggedInAgents, double AbandonRate24h, double AbandonRateTarget,
    DateTimeOffset At, PendingReevaluation? ReevaluationPending);

public sealed class DiagnosticsOperations(IStore store, TimeProvider time)
{
    /// <summary>Campaign blockers, records by the reason they are not callable now, a 24-hour forecast, and a pending
    /// re-evaluation: until it ends, some records counted callable may still be parked in the pick queue.</summary>
    public async Task<CampaignDiagnostics> DiagnoseAsync(long tenant, string campaignId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Validate.Id(campaignId, "campaignId");
        if (await store.GetCampaignAsync(tenant, id, ct) is not { } campaign) throw OperationException.NotFound($"campaign '{campaignId}'");
        var builder = new DiagnosisBuilder(campaign, now);
        await store.EvaluateCampaignRecordsAsync(tenant, id, now, builder.Add, ct);
        var sessions = await store.ListAgentSessionsAsync(tenant, id, ct);
        var ready = sessions.Count(s => s.State == AgentState.Ready);
        var rate = (await store.GetAbandonRateAsync(tenant, id, TimeSpan.FromHours(24), now, ct)).Percent;
        var pending = await store.GetPendingReevaluationAsync(tenant, id, ct);
        return new CampaignDiagnostics(builder.Build(ready, rate), ready, sessions.Count, rate, campaign.AbandonRate, now, pending);
    }
}
