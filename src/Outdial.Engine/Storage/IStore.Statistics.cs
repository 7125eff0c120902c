using Outdial.Engine.Domain;
using Outdial.Engine.Pacing;
using Outdial.Engine.Statistics;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Appends a finished (or not dialed) attempt to a record's history in a campaign.</summary>
    Task AddAttemptAsync(long tenant, Attempt attempt, decimal? amount, string? classifier, bool agentLogout, CancellationToken ct);

    /// <summary>Counters of a campaign over [from, to); optionally of one agent only.</summary>
    Task<StatisticsCounters?> GetStatisticsAsync(long tenant, string campaignId, DateTimeOffset from, DateTimeOffset to, string? agentId, DateTimeOffset now, CancellationToken ct);

    /// <summary>Counters per (campaign, agent) over [from, to), as OBI's /statistics lists them.</summary>
    Task<IReadOnlyList<AgentStatistics>> GetAgentStatisticsAsync(long tenant, DateTimeOffset from, DateTimeOffset to, string? campaignId, string? agentId, DateTimeOffset now, CancellationToken ct);

    Task<CampaignCounts?> GetCampaignCountsAsync(long tenant, string campaignId, DateTimeOffset now, CancellationToken ct);

    /// <summary>Abandoned calls as a percentage of calls answered by a person, over the given window ending now.</summary>
    Task<AbandonRate> GetAbandonRateAsync(long tenant, string campaignId, TimeSpan window, DateTimeOffset now, CancellationToken ct);

    /// <summary>The campaign's attempt history as its pacing needs it after a (re)start: person answers and abandons per
    /// clock hour of answer since <paramref name="since"/>, and the latest <paramref name="calls"/> network outcomes and
    /// <paramref name="services"/> conversations, oldest first.</summary>
    Task<PacingHistory> GetPacingHistoryAsync(long tenant, string campaignId, DateTimeOffset since, int calls, int services, CancellationToken ct);

    Task<IReadOnlyList<ResultStatistics>> GetResultStatisticsAsync(long tenant, string campaignId, CancellationToken ct);
}
