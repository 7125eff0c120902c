using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Dialing;

/// <summary>What the store knows of a campaign's records, for its lifecycle.</summary>
/// <param name="HasRecords">At least one record, open or closed (an empty campaign waits for records: it is not handled).</param>
/// <param name="AnythingLeft">A record that may still be dialed without a change of its data or the campaign's rules:
/// waiting for its time, window, retry or callback, leased, in a call, or covered by a pending re-evaluation. Records
/// closed, at MAXCALLS, or blocked for good (invalid numbers only, do-not-call without expiry) are not.</param>
public readonly record struct CampaignWork(bool HasRecords, bool AnythingLeft);

/// <summary>
/// The derived part of a campaign's status (OBI): an Active campaign whose end date has passed is Expired (dialer status
/// EXPIRED); one with records and nothing left to dial is Handled (COMPLETED); otherwise Active (OPEN). Derived both ways:
/// records imported into a Handled campaign, a raised RetryCount or a later end date make it Active again. Passive is the
/// operator's choice and is left alone, as are Invalid, Deleted and Quota, which nothing here sets.
/// </summary>
public static class CampaignLifecycle
{
    /// <returns>The status and dialer status the campaign should have at <paramref name="now"/>, or null when it has them
    /// already or its status is not derived.</returns>
    public static (CampaignStatus Status, DialerStatus DialerStatus)? Derive(
        CampaignStatus status, DialerStatus dialerStatus, DateTimeOffset? endDate, CampaignWork work, DateTimeOffset now)
    {
        if (status is not (CampaignStatus.Active or CampaignStatus.Handled or CampaignStatus.Expired)) return null;
        var next = endDate is { } end && now >= end ? (CampaignStatus.Expired, DialerStatus.EXPIRED)
            : work.HasRecords && !work.AnythingLeft ? (CampaignStatus.Handled, DialerStatus.COMPLETED)
            : (CampaignStatus.Active, DialerStatus.OPEN);
        return next == (status, dialerStatus) ? null : next;
    }

    /// <summary>Brings the derived status of every campaign up to date (<see cref="Derive"/>) and returns the changes. A
    /// campaign whose status changed meanwhile (an operator's PUT) is left as that change set it.</summary>
    public static async Task<IReadOnlyList<CampaignTransition>> ApplyCampaignLifecycleAsync(this IStore store, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var transitions = new List<CampaignTransition>();
        foreach (var c in await store.ListDerivedStatusCampaignsAsync(ct))
        {
            // Past its end date the records do not matter: no need to read them.
            var work = c.EndDate is { } end && now >= end ? default : await store.GetCampaignWorkAsync(c.TenantId, c.CampaignId, ct);
            if (Derive(c.Status, c.DialerStatus, c.EndDate, work, now) is not { } next) continue;
            if (await store.SetDerivedStatusAsync(c, next.Status, next.DialerStatus, now, ct))
                transitions.Add(new CampaignTransition(c.TenantId, c.CampaignId, c.Status, next.Status, next.DialerStatus));
        }
        return transitions;
    }
}

/// <summary>A campaign's status changed by <see cref="CampaignLifecycle"/>.</summary>
public sealed record CampaignTransition(long TenantId, string CampaignId, CampaignStatus From, CampaignStatus To, DialerStatus DialerStatus);
