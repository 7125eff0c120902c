namespace Outdial.Engine.Operations.Imports;

/// <summary>Where an import lands: its list, the campaign it came through (null for a list import), and the region national
/// numbers are read in when the request names none (campaign → default list → its region, else the campaign's).</summary>
public sealed record ImportTarget(string Kind, string ListId, string? CampaignId, string? DefaultRegion);

/// <summary>An import request checked before its body is read: <see cref="Salt"/> starts the request hash, so a retry with
/// the same key but other settings or another target is told apart from a true retry.</summary>
public sealed record ImportRequest(ImportTarget Target, string Format, ImportSettings Settings, bool Async, string? IdempotencyKey, string Salt);

/// <summary>An uploaded file spooled under the data directory and checked for structure: its path, size, request hash
/// (salt and body) and data rows.</summary>
public sealed record ImportUpload(string Path, long Bytes, string Hash, long Rows);

public sealed record ImportStatus(
    string Id, Storage.ImportJobState State, string ListId, string? CampaignId, long RowsTotal, long RowsDone, long RowsFailed,
    long RowsCreated, long RowsUpdated, long RowsSkipped, double? RowsPerSecond, double? EtaSeconds, string? Error,
    DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Finished, string FailuresUrl);

/// <summary>An import that ran while its request waited: the job and one result per row.</summary>
public sealed record InlineImportResult(ImportStatus Job, IReadOnlyList<ImportRowResult> Results);

public enum ImportOutcome
{
    /// <summary>Ran inline (or is a retry of one that did): <see cref="ImportStart.Inline"/> holds the rows' results.</summary>
    Finished,

    /// <summary>Runs (or ran) in the background: <see cref="ImportStart.Job"/> is its status now.</summary>
    Accepted,

    /// <summary>A shutdown paused the inline run; the job resumes in the background at the next start.</summary>
    Paused,

    /// <summary>The Idempotency-Key was used for a different request: nothing was done.</summary>
    KeyReused,
}

/// <summary>What starting (or retrying) an import did.</summary>
public sealed record ImportStart(ImportOutcome Outcome, ImportStatus? Job = null, InlineImportResult? Inline = null);
