using System.Text.Json;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Records;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Imports;

/// <summary>How this process runs imports: uploads up to <paramref name="InlineMaxBytes"/> run while the request waits, larger
/// ones in the background; <paramref name="Stopping"/> is the process's shutdown, which pauses running imports.</summary>
public sealed record ImportHosting(long InlineMaxBytes, CancellationToken Stopping);

/// <summary>
/// Record imports: the target and its region, the settings, the Idempotency-Key, the choice between an inline and a
/// background run, the job and its status. The adapter spools the body (<see cref="ImportUpload"/>) and reads its rows
/// (<see cref="IImportRows"/>); everything else is decided here.
/// </summary>
/// <remarks>Calls: <see cref="ListTargetAsync"/> or <see cref="CampaignTargetAsync"/>, then <see cref="Prepare"/> (before the
/// body is read), then <see cref="StartAsync"/> with the spooled upload, which it owns from then on (kept with a job, else
/// deleted). A retry with the same key and the same request creates nothing: it answers the first request's result.</remarks>
public sealed class ImportOperations(IStore store, RecordOperations records, IImportRows rows, ImportJobs jobs, ImportHosting hosting, TimeProvider time)
{
    /// <summary>The longest Idempotency-Key taken.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>A list import lands in the list; national numbers are read in the list's region.</summary>
    public async Task<ImportTarget> ListTargetAsync(long tenant, string listId, CancellationToken ct)
    {
        var target = await records.TargetOfListAsync(tenant, listId, ct);
        return new ImportTarget("list", target.ListId, null, target.DefaultRegion);
    }

    /// <summary>A campaign import lands where a campaign's records do (<see cref="RecordOperations.TargetOfCampaignAsync"/>).</summary>
    public async Task<ImportTarget> CampaignTargetAsync(long tenant, string campaignId, CancellationToken ct)
    {
        var target = await records.TargetOfCampaignAsync(tenant, campaignId, ct);
        Id32.TryNormalize(campaignId, out var cid); // known valid: the lookup found the campaign
        return new ImportTarget("campaign", target.ListId, cid, target.DefaultRegion);
    }

    /// <summary>Checks a request's settings and key before its body is read.</summary>
    /// <param name="format">csv or json.</param>
    /// <param name="async">The async flag as sent (true: a background job whatever the size).</param>
    public static ImportRequest Prepare(ImportTarget target, string format, ImportSettings settings, string? async, string? idempotencyKey)
    {
        // A JSON import names its fields; a mapping it would ignore is a mistake the caller should hear about.
        if (format == "json" && settings.Mapping is not null)
            throw new ValidationException("'mapping' applies to CSV imports only: a JSON import names its fields (externalId, phones, attributes, ...)", "mapping");
        var key = idempotencyKey is { Length: > 0 } ? idempotencyKey : null;
        if (key is { Length: > MaxKeyLength }) throw new ValidationException($"'Idempotency-Key' is longer than {MaxKeyLength} characters", "Idempotency-Key");
        var background = ImportSettings.Flag(async, "async");
        var salt = $"{target.Kind}|{target.ListId}|{format}|{JsonSerializer.Serialize(settings, StoredImportOptions.Json)}|";
        return new ImportRequest(target, format, settings, background, key, salt);
    }

    /// <summary>Starts the import of a spooled upload, or answers the first request's result when this is a retry.</summary>
    public async Task<ImportStart> StartAsync(long tenant, ImportRequest request, ImportUpload upload, CancellationToken ct)
    {
        var keep = false;
        try
        {
            if (request.IdempotencyKey is { } key && await store.GetImportJobByKeyAsync(tenant, key, CancellationToken.None) is { } existing)
                return Replay(existing, upload.Hash);
            // The header against the mapping (explicit or by column names) before a job exists: a file with no phone column
            // is a 400 that leaves nothing behind, not a job that fails (in the background, when async).
            if (request.Format == "csv") _ = rows.Read(upload.Path, request.Format, request.Settings.Mapping).FirstOrDefault();

            var inline = !request.Async && upload.Bytes <= hosting.InlineMaxBytes;
            var stored = new StoredImportOptions(request.Settings, upload.Rows, request.Settings.Region ?? request.Target.DefaultRegion, inline);
            var job = new ImportJob
            {
                Id = Id32.New(),
                IdempotencyKey = request.IdempotencyKey,
                RequestHash = upload.Hash,
                Kind = request.Target.Kind,
                ListId = request.Target.ListId,
                CampaignId = request.Target.CampaignId,
                Format = request.Format,
                Options = JsonSerializer.Serialize(stored, StoredImportOptions.Json),
                SpoolPath = upload.Path,
                State = inline ? ImportJobState.running : ImportJobState.queued,
                Created = time.GetUtcNow(),
            };
            var (saved, created) = await store.CreateImportJobAsync(tenant, job, ct);
            if (!created) return Replay(saved, upload.Hash); // a concurrent request with the same key won
            keep = true;
            if (!inline)
            {
                await jobs.EnqueueAsync(saved, ct);
                return new ImportStart(ImportOutcome.Accepted, jobs.Status(saved));
            }
            try
            {
                return new ImportStart(ImportOutcome.Finished, Inline: await jobs.RunInlineAsync(saved, hosting.Stopping));
            }
            catch (OperationCanceledException) when (hosting.Stopping.IsCancellationRequested)
            {
                return new ImportStart(ImportOutcome.Paused, jobs.Status(saved));
            }
        }
        finally
        {
            if (!keep) File.Delete(upload.Path);
        }
    }

    /// <summary>The answer to a retried request: the stored inline result, or the job's status; never a second import.</summary>
    private ImportStart Replay(ImportJob existing, string hash)
    {
        if (!string.Equals(existing.RequestHash, hash, StringComparison.Ordinal)) return new ImportStart(ImportOutcome.KeyReused);
        if (existing.Response is { } response)
            return new ImportStart(ImportOutcome.Finished, Inline: JsonSerializer.Deserialize<InlineImportResult>(response, StoredImportOptions.Json));
        var inline = StoredImportOptions.Of(existing).Inline;
        if (inline && existing.State == ImportJobState.running)
            throw OperationException.Conflict("a request with this Idempotency-Key is still being processed; retry later");
        if (inline && existing.State == ImportJobState.failed)
            throw OperationException.Conflict($"the import with this Idempotency-Key failed: {existing.Error}");
        // A background job, or an inline one a shutdown paused and the next start finished in the background.
        return new ImportStart(ImportOutcome.Accepted, jobs.Status(existing));
    }

    public async Task<ImportStatus> StatusAsync(long tenant, string id, CancellationToken ct) => jobs.Status(await JobAsync(tenant, id, ct));

    /// <summary>The rows of a job that failed, in file order.</summary>
    public async Task<IReadOnlyList<ImportFailure>> FailuresAsync(long tenant, string id, CancellationToken ct) =>
        await store.GetImportFailuresAsync(tenant, (await JobAsync(tenant, id, ct)).Id, ct);

    private async Task<ImportJob> JobAsync(long tenant, string id, CancellationToken ct) =>
        Id32.TryNormalize(id, out var jid) && await store.GetImportJobAsync(tenant, jid, ct) is { } job
            ? job
            : throw OperationException.NotFound($"import '{id}'");
}
