using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;

namespace Outdial.Engine.Storage;

/// <remarks>
/// What <see cref="CampaignLifecycle"/> reads and writes; it decides. The reads need no common snapshot: the write is
/// conditional on the status read, so a status changed meanwhile (an operator's PUT) is left as that change set it, and
/// work that changes after the read is seen by the next pass.
/// </remarks>
public partial interface IStore
{
    /// <summary>Every campaign of every tenant whose status is derived (Active, Handled, Expired).</summary>
    Task<IReadOnlyList<CampaignStatusSnapshot>> ListDerivedStatusCampaignsAsync(CancellationToken ct);

    /// <summary>Whether the campaign has records and whether any may still be dialed (see <see cref="CampaignWork"/>).</summary>
    /// <remarks>Left: a record not closed and not parked until its data changes (due, waiting for a time, leased, in a
    /// call), or a pending re-evaluation. Default (no records, nothing left) for a campaign the tenant does not have.
    /// Cost: a few index seeks, whatever the campaign's size.</remarks>
    Task<CampaignWork> GetCampaignWorkAsync(long tenant, string campaignId, CancellationToken ct);

    /// <summary>Sets the campaign's status and dialer status to <paramref name="to"/> if they are still those of
    /// <paramref name="from"/>.</summary>
    /// <returns>False (nothing written) when they changed meanwhile or the campaign is gone.</returns>
    Task<bool> SetDerivedStatusAsync(
        CampaignStatusSnapshot from, CampaignStatus to, DialerStatus toDialer, DateTimeOffset now, CancellationToken ct);
}

/// <summary>A campaign's status as read, with what its derivation needs besides its records.</summary>
public sealed record CampaignStatusSnapshot(long TenantId, string CampaignId, CampaignStatus Status, DialerStatus DialerStatus, DateTimeOffset? EndDate);
