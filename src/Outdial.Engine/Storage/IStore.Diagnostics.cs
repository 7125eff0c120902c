using Outdial.Engine.Domain;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Opens a read-only snapshot of the tenant's campaigns and records, for reads that must agree with each other
    /// (a diagnosis walking a whole campaign in batches).</summary>
    Task<ICampaignSnapshot> BeginSnapshotAsync(long tenant, CancellationToken ct);
}

/// <summary>What a campaign's reads through a snapshot and a dialing transaction have in common.</summary>
public interface ICampaignReads
{
    /// <summary>The campaign as of this read, or null when the tenant has no such campaign.</summary>
    Task<Campaign?> ReadCampaignAsync(string campaignId, CancellationToken ct);

    /// <summary>The do-not-call status of <paramref name="numbers"/> in the campaign (tenant-wide and campaign entries in
    /// force at <paramref name="now"/>), and the tenant's attempts at them started after <paramref name="attemptsSince"/>
    /// (none read when null).</summary>
    Task<NumberFacts> ReadNumberFactsAsync(
        string campaignId, IReadOnlyCollection<string> numbers, DateTimeOffset? attemptsSince, DateTimeOffset now, CancellationToken ct);
}

/// <remarks>
/// Every read sees the store as of one moment (on SQLite a deferred read transaction in WAL mode, on an MVCC database a
/// REPEATABLE READ transaction): a campaign read in batches is counted as it stood, not half before and half after a
/// concurrent import or call. It writes nothing and takes no write lock, so dialers and imports go on meanwhile; hold it
/// only for the reads and what is computed from them. Not thread-safe; one caller at a time. A read of a campaign that is
/// not the tenant's reads nothing (null, or no records).
/// </remarks>
public interface ICampaignSnapshot : ICampaignReads, IAsyncDisposable
{
    /// <summary>Up to <paramref name="limit"/> records of the campaign whose handle (<see cref="CallRecord.Number"/>) is
    /// greater than <paramref name="after"/>, in handle order, each with its progress in the campaign and the expiry of
    /// its lease (null when not leased; an expired lease's expiry is given as read).</summary>
    /// <remarks>Paging by the last handle read walks every record of the campaign exactly once.</remarks>
    Task<IReadOnlyList<RecordInCampaign>> ReadRecordsAsync(string campaignId, long after, int limit, CancellationToken ct);
}

/// <summary>A record, its progress in a campaign, and the expiry of its lease when it has one.</summary>
public sealed record RecordInCampaign(CallRecord Record, RecordProgress Progress, DateTimeOffset? LeasedUntil);
