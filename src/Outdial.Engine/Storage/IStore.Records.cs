using Outdial.Engine.Domain;
using Outdial.Engine.Records;

namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Opens a write session on a list: one transaction until <see cref="IRecordWriter.CommitAsync"/>.</summary>
    /// <param name="importJobId">The job whose progress <see cref="IRecordWriter.SaveJobProgress"/> records, if any.</param>
    /// <returns>Null when the list does not exist in the tenant.</returns>
    Task<IRecordWriter?> BeginRecordWriteAsync(long tenant, string listId, DuplicatePolicy duplicates, string? importJobId, CancellationToken ct);

    Task<StoredRecord?> GetRecordAsync(long tenant, string id, CancellationToken ct);

    /// <summary>Replaces a record's data (numbers, attributes, fields); progress is kept.</summary>
    /// <exception cref="ConflictException">the new externalId is taken in the list</exception>
    Task<bool> UpdateRecordAsync(long tenant, string id, RecordDraft draft, CancellationToken ct);

    Task<bool> DeleteRecordAsync(long tenant, string id, CancellationToken ct);

    Task<RecordPage> SearchRecordsAsync(long tenant, RecordQuery query, CancellationToken ct);

    Task<IReadOnlyList<Attempt>> GetAttemptsAsync(long tenant, string recordId, CancellationToken ct);

    /// <summary>The attempts in the campaign of the records numbered <paramref name="recordNumbers"/> (a page), in one
    /// query, oldest first.</summary>
    Task<IReadOnlyList<Attempt>> GetCampaignAttemptsAsync(long tenant, string campaignId, IReadOnlyList<long> recordNumbers, CancellationToken ct);
}

public sealed record StoredRecord(CallRecord Record, IReadOnlyList<RecordProgress> Progress);

public sealed record RecordPage(IReadOnlyList<StoredRecord> Items, long? NextAfter);

/// <summary>A written row's fate. <c>UnknownReference</c>: the row names something the tenant does not have (an agent).</summary>
public enum RowStatus { Created, Updated, Skipped, Failed, UnknownReference }

public readonly record struct RowOutcome(RowStatus Status, string? Id, long Serial, string? Error);

/// <summary>A write session on one list. Not thread-safe: one importer drives it.</summary>
public interface IRecordWriter : IAsyncDisposable
{
    /// <summary>Writes one record (and its progress in every campaign the list feeds), honouring the duplicate policy.</summary>
    RowOutcome Write(RecordDraft draft);

    /// <summary>Records a job's progress inside the current transaction, so rows and progress land together.</summary>
    void SaveJobProgress(ImportProgress progress, IReadOnlyList<ImportFailure> newFailures);

    /// <summary>Commits what was written so far and continues in a new transaction.</summary>
    Task CommitAsync(CancellationToken ct);

    /// <summary>Discards everything since the last commit.</summary>
    Task RollbackAsync(CancellationToken ct);
}
