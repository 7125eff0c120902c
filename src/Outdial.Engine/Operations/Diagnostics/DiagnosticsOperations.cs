using Outdial.Engine.Agents;
using Outdial.Engine.Diagnostics;
using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Diagnostics;

/// <summary>"Why isn't it dialing?" for one campaign at <see cref="At"/>.</summary>
public sealed record CampaignDiagnostics(
    CampaignDiagnosis Diagnosis, int ReadyAgents, int LoggedInAgents, double AbandonRate24h, double AbandonRateTarget,
    DateTimeOffset At, PendingReevaluation? ReevaluationPending);

public sealed class DiagnosticsOperations(IStore store, TimeProvider time)
{
    /// <summary>Records read and evaluated at a time: a diagnostic, not a hot path, but a million records never in memory at once.</summary>
    internal const int Batch = 2000;

    /// <summary>Campaign blockers, records by the reason they are not callable now, a 24-hour forecast, and a pending
    /// re-evaluation: until it ends, some records counted callable may still be parked in the pick queue.</summary>
    public async Task<CampaignDiagnostics> DiagnoseAsync(long tenant, string campaignId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var id = Validate.Id(campaignId, "campaignId");
        if (await store.GetCampaignAsync(tenant, id, ct) is not { } campaign) throw OperationException.NotFound($"campaign '{campaignId}'");
        var builder = new DiagnosisBuilder(campaign, now);
        await EvaluateRecordsAsync(store, tenant, id, now, builder.Add, ct);
        var sessions = await store.ListAgentSessionsAsync(tenant, id, ct);
        var ready = sessions.Count(s => s.State == AgentState.Ready);
        var rate = (await store.GetAbandonRateAsync(tenant, id, TimeSpan.FromHours(24), now, ct)).Percent;
        var pending = await store.GetPendingReevaluationAsync(tenant, id, ct);
        return new CampaignDiagnostics(builder.Build(ready, rate), ready, sessions.Count, rate, campaign.AbandonRate, now, pending);
    }

    /// <summary>Evaluates every record of the campaign at <paramref name="now"/> as if the campaign were Active and inside
    /// its dates, so record-level reasons show even behind a campaign-level blocker (reported apart).</summary>
    /// <remarks>All from one snapshot of the store, read in batches of <see cref="Batch"/> records by handle.</remarks>
    /// <returns>False when the campaign does not exist in the tenant.</returns>
    public static async Task<bool> EvaluateRecordsAsync(
        IStore store, long tenant, string campaignId, DateTimeOffset now, Action<Callability> onRecord, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(onRecord);
        await using var snapshot = await store.BeginSnapshotAsync(tenant, ct);
        if (await snapshot.ReadCampaignAsync(campaignId, ct) is not { } stored) return false;
        var campaign = stored with { Status = CampaignStatus.Active, StartDate = null, EndDate = null };
        var since = DialCycle.AttemptsSince(campaign, now);
        long after = 0; // handles are positive
        while (true)
        {
            var batch = await snapshot.ReadRecordsAsync(campaignId, after, Batch, ct);
            if (batch.Count == 0) return true;
            after = batch[^1].Record.Number;
            var facts = await snapshot.ReadNumberFactsAsync(campaignId, DialCycle.Numbers(batch.Select(r => r.Record)), since, now, ct);
            foreach (var r in batch)
                onRecord(Callability.Evaluate(new CallabilityInput
                {
                    Campaign = campaign,
                    Record = r.Record,
                    Progress = r.Progress,
                    LeasedUntil = r.LeasedUntil,
                    DoNotCall = facts.DoNotCall,
                    RecentAttempts = facts.RecentAttempts,
                }, now));
        }
    }
}
