using Outdial.Engine.Statistics;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Statistics;

/// <summary>A campaign's counters since it began and for one UTC day, its counts now, and its abandon rates.</summary>
public sealed record CampaignStatistics(
    StatisticsCounters Total, StatisticsCounters Daily, DateOnly Date, CampaignCounts Counts, double AbandonRate24h, double AbandonRate30d);

/// <summary>Statistics and counts, recounted from the history on every read.</summary>
public sealed class StatisticsOperations(IStore store, TimeProvider time)
{
    /// <summary>Totals since the campaign began plus one UTC day (default today), as OBI's stats.total / stats.daily.</summary>
    public async Task<CampaignStatistics> GetCampaignAsync(long tenant, string campaignId, DateOnly? date, string? agentId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var day = date is { } d ? InRange(d, "date") : DateOnly.FromDateTime(now.UtcDateTime);
        var cid = Validate.Id(campaignId, "campaignId");
        var aid = agentId is null ? null : Validate.Id(agentId, "agentId");
        var dayStart = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var total = await store.GetStatisticsAsync(tenant, cid, DateTimeOffset.UnixEpoch, now.AddMilliseconds(1), aid, now, ct);
        var daily = await store.GetStatisticsAsync(tenant, cid, dayStart, dayStart.AddDays(1), aid, now, ct);
        var counts = await store.GetCampaignCountsAsync(tenant, cid, now, ct);
        if (total is null || daily is null || counts is null)
            throw OperationException.NotFound($"campaign '{campaignId}'" + (aid is null ? "" : $" or agent '{agentId}'"));
        var rate24 = await store.GetAbandonRateAsync(tenant, cid, TimeSpan.FromHours(24), now, ct);
        var rate30 = await store.GetAbandonRateAsync(tenant, cid, TimeSpan.FromDays(30), now, ct);
        return new CampaignStatistics(total, daily, day, counts, rate24.Percent, rate30.Percent);
    }

    /// <summary>
    /// <see cref="GetCampaignAsync"/> for the work of several agents together (OBI's agentId=A,B): their counters added up;
    /// the campaign's customers are counted once (they do not depend on the agent).
    /// </summary>
    public async Task<CampaignStatistics> GetCampaignForAgentsAsync(long tenant, string campaignId, DateOnly? date, IReadOnlyList<string> agentIds, CancellationToken ct)
    {
        if (agentIds.Count == 0) throw new ValidationException("'agentId' names no agent", "agentId");
        CampaignStatistics? sum = null;
        foreach (var agentId in agentIds.Distinct(StringComparer.Ordinal))
        {
            CampaignStatistics one;
            try
            {
                one = await GetCampaignAsync(tenant, campaignId, date, agentId, ct);
            }
            catch (OperationException e) when (e.Kind == ErrorKind.NotFound)
            {
                continue; // an agent without any history here adds nothing
            }
            sum = sum is null ? one : sum with { Total = Add(sum.Total, one.Total), Daily = Add(sum.Daily, one.Daily) };
        }
        return sum ?? throw OperationException.NotFound($"campaign '{campaignId}' or agents '{string.Join(",", agentIds)}'");
    }

    private static StatisticsCounters Add(StatisticsCounters a, StatisticsCounters b) => new()
    {
        NumberOfHandledCustomers = a.NumberOfHandledCustomers + b.NumberOfHandledCustomers,
        NumberOfCalls = a.NumberOfCalls + b.NumberOfCalls,
        NumberOfSuccessfulCalls = a.NumberOfSuccessfulCalls + b.NumberOfSuccessfulCalls,
        NumberOfRefusalCalls = a.NumberOfRefusalCalls + b.NumberOfRefusalCalls,
        NumberOfAmountCalls = a.NumberOfAmountCalls + b.NumberOfAmountCalls,
        NumberOfSkipCalls = a.NumberOfSkipCalls + b.NumberOfSkipCalls,
        NumberOfRejectCalls = a.NumberOfRejectCalls + b.NumberOfRejectCalls,
        NumberOfOperLogoutCalls = a.NumberOfOperLogoutCalls + b.NumberOfOperLogoutCalls,
        NumberOfNotDialedCalls = a.NumberOfNotDialedCalls + b.NumberOfNotDialedCalls,
        NumberOfHangupCalls = a.NumberOfHangupCalls + b.NumberOfHangupCalls,
        NumberOfAbandonedCalls = a.NumberOfAbandonedCalls + b.NumberOfAbandonedCalls,
        Amount = a.Amount + b.Amount,
        LoginTime = a.LoginTime + b.LoginTime,
        PauseTime = a.PauseTime + b.PauseTime,
        WaitTime = a.WaitTime + b.WaitTime,
        PreviewTime = a.PreviewTime + b.PreviewTime,
        CallTime = a.CallTime + b.CallTime,
        TalkingTime = a.TalkingTime + b.TalkingTime,
        WrapTime = a.WrapTime + b.WrapTime,
        NumberOfCustomers = a.NumberOfCustomers,
        NumberOfAgents = a.NumberOfAgents + b.NumberOfAgents,
    };

    public async Task<CampaignCounts> GetCountsAsync(long tenant, string campaignId, CancellationToken ct) =>
        await store.GetCampaignCountsAsync(tenant, Validate.Id(campaignId, "campaignId"), time.GetUtcNow(), ct)
            ?? throw OperationException.NotFound($"campaign '{campaignId}'");

    public async Task<IReadOnlyList<ResultStatistics>> GetResultsAsync(long tenant, string campaignId, CancellationToken ct)
    {
        var cid = Validate.Id(campaignId, "campaignId");
        if (await store.GetCampaignAsync(tenant, cid, ct) is null) throw OperationException.NotFound($"campaign '{campaignId}'");
        return await store.GetResultStatisticsAsync(tenant, cid, ct);
    }

    /// <summary>Per campaign and agent over whole UTC days [from, to] (default today), as OBI's /statistics.</summary>
    public async Task<IReadOnlyList<AgentStatistics>> GetByAgentAsync(long tenant, DateOnly? from, DateOnly? to, string? campaignId,
        string? agentId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var first = from is { } f ? InRange(f, "startDate") : today;
        var last = to is { } t ? InRange(t, "endDate") : today;
        if (last < first) throw new ValidationException("'endDate' is before 'startDate'", "endDate");
        return await store.GetAgentStatisticsAsync(tenant,
            new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            campaignId is null ? null : Validate.Id(campaignId, "campaignId"), agentId is null ? null : Validate.Id(agentId, "agentId"), now, ct);
    }

    /// <summary>The store's range of days; the last one stops short of DateOnly.MaxValue, whose end (the next midnight) has no value.</summary>
    private static DateOnly InRange(DateOnly day, string field) =>
        day.Year >= 1900 && day < DateOnly.MaxValue
            ? day
            : throw new ValidationException($"'{field}' is out of range (1900-01-01 to 9999-12-30), got {day:yyyy-MM-dd}", field);
}
