using Outdial.Engine.Domain;
using Outdial.Engine.Selection;

namespace Outdial.Engine.Diagnostics;

/// <summary>Why a campaign as a whole may not dial now, independent of its records.</summary>
/// <remarks>Handled: nothing is left to dial (every record closed, at MAXCALLS or blocked for good); records imported, a
/// raised RetryCount or a lifted block make it Active again. An Expired campaign reports AfterEndDate.</remarks>
public enum CampaignBlocker { Passive, BeforeStartDate, AfterEndDate, NoReadyAgents, AbandonTargetReached, NoCallableRecords, Handled }

/// <summary>The answer to "why isn't it dialing?": campaign blockers, records by reason, and when records become callable.</summary>
/// <param name="Callable">Records callable now.</param>
/// <param name="Reasons">Records not callable now, by reason (campaign-level reasons are reported as blockers instead).</param>
/// <param name="Forecast">Records becoming callable in each of the next 24 hours (index 0 = within the coming hour).</param>
public sealed record CampaignDiagnosis(
    IReadOnlyList<CampaignBlocker> Blockers, long Callable, IReadOnlyDictionary<NotCallableReason, long> Reasons, IReadOnlyList<long> Forecast);

/// <summary>Builds a diagnosis from the evaluation of every record; pure, so it is tested without a store.</summary>
public sealed class DiagnosisBuilder(Campaign campaign, DateTimeOffset now)
{
    private readonly Dictionary<NotCallableReason, long> _reasons = [];
    private readonly long[] _forecast = new long[24];
    private long _callable;

    /// <summary>Adds one record's evaluation, made as if the campaign were active (so record reasons show behind a Passive campaign).</summary>
    public void Add(Callability result)
    {
        if (result.Callable)
        {
            _callable++;
            return;
        }
        _reasons[result.Reason] = _reasons.GetValueOrDefault(result.Reason) + 1;
        if (result.NextEligibleAt is { } next && next > now)
        {
            var hour = (int)((next - now).Ticks / TimeSpan.TicksPerHour);
            if (hour < 24) _forecast[hour]++;
        }
    }

    public CampaignDiagnosis Build(int readyAgents, double abandonRate24h)
    {
        var blockers = new List<CampaignBlocker>();
        if (campaign.Status == CampaignStatus.Handled) blockers.Add(CampaignBlocker.Handled);
        else if (campaign.Status is not (CampaignStatus.Active or CampaignStatus.Expired)) blockers.Add(CampaignBlocker.Passive);
        if (campaign.StartDate is { } start && now < start) blockers.Add(CampaignBlocker.BeforeStartDate);
        if (campaign.EndDate is { } end && now >= end) blockers.Add(CampaignBlocker.AfterEndDate);
        if (readyAgents == 0) blockers.Add(CampaignBlocker.NoReadyAgents);
        // Predictive pacing falls back to one call per ready agent once the measured rate reaches the target.
        if (campaign.DialingMode == DialingMode.PREDICTIVE && abandonRate24h >= campaign.AbandonRate && abandonRate24h > 0)
            blockers.Add(CampaignBlocker.AbandonTargetReached);
        if (_callable == 0) blockers.Add(CampaignBlocker.NoCallableRecords);
        return new CampaignDiagnosis(blockers, _callable, _reasons, _forecast);
    }
}
