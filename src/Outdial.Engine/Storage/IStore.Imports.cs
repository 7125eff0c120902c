namespace Outdial.Engine.Storage;

public partial interface IStore
{
    /// <summary>Creates a job, or returns the existing one holding the same idempotency key.</summary>
    Task<(ImportJob Job, bool Created)> CreateImportJobAsync(long tenant, ImportJob job, CancellationToken ct);
    Task<ImportJob?> GetImportJobAsync(long tenant, string id, CancellationToken ct);
    Task<ImportJob?> GetImportJobByKeyAsync(long tenant, string idempotencyKey, CancellationToken ct);
    Task UpdateImportJobAsync(ImportJob job, CancellationToken ct);
    Task<IReadOnlyList<ImportFailure>> GetImportFailuresAsync(long tenant, string jobId, CancellationToken ct);
    /// <summary>Jobs that were queued or running when the server stopped.</summary>
    Task<IReadOnlyList<ImportJob>> GetUnfinishedImportJobsAsync(CancellationToken ct);
}

public enum ImportJobState { queued, running, succeeded, failed }

/// <summary>An import; for inline imports <see cref="Response"/> keeps the answer so a retry with the same key gets it again.</summary>
public sealed record ImportJob
{
    public required string Id { get; init; }
    public long TenantId { get; init; }
    public string? IdempotencyKey { get; init; }
    /// <summary>Hash of the request, so a key reused for a different request is refused.</summary>
    public string? RequestHash { get; init; }
    public required string Kind { get; init; }
    public required string ListId { get; init; }
    public string? CampaignId { get; init; }
    public required string Format { get; init; }
    public required string Options { get; init; }
    public string? SpoolPath { get; init; }
    public ImportJobState State { get; init; }
    public ImportProgress Progress { get; init; } = new();
    public string? Error { get; init; }
    public string? Response { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Finished { get; init; }
}

public sealed record ImportProgress
{
    public long RowsDone { get; init; }
    public long RowsFailed { get; init; }
    public long RowsCreated { get; init; }
    public long RowsUpdated { get; init; }
    public long RowsSkipped { get; init; }
}

public sealed record ImportFailure(long RowNumber, string? ExternalId, string Error);
