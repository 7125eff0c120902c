using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Outdial.Engine.Domain;
using Outdial.Engine.Storage;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Imports;

/// <summary>What the job row keeps besides its counters: settings, the file's row count, the region in force.</summary>
internal sealed record StoredImportOptions(ImportSettings Settings, long TotalRows, string? DefaultRegion, bool Inline);

public sealed record ImportStatus(
    string Id, ImportJobState State, string ListId, string? CampaignId, long RowsTotal, long RowsDone, long RowsFailed,
    long RowsCreated, long RowsUpdated, long RowsSkipped, double? RowsPerSecond, double? EtaSeconds, string? Error,
    DateTimeOffset Created, DateTimeOffset? Started, DateTimeOffset? Finished, string FailuresUrl);

public sealed record InlineImportResponse(ImportStatus Job, IReadOnlyList<ImportRowResult> Results);

/// <summary>Spools uploads, runs small imports inline and large ones in the background, resumes unfinished jobs at start.</summary>
internal sealed class ImportService(
    IStore store, ImportRunner runner, OutdialOptions options, TimeProvider time, IOptions<JsonOptions> jsonOptions, ILogger<ImportService> logger, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    private readonly Channel<ImportJob> _queue = Channel.CreateUnbounded<ImportJob>();
    private readonly ConcurrentDictionary<string, LiveProgress> _live = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _json = jsonOptions.Value.SerializerOptions;

    /// <summary>A spooled upload whose structure has been checked: its file, size, hash and data rows.</summary>
    public sealed record Spooled(string Path, long Bytes, string Hash, long Rows);

    /// <summary>
    /// Copies the body to a file under the data directory while hashing it and, for CSV, checking its structure as it
    /// arrives (<see cref="CsvShape"/>: a structure error ends the upload at once); then checks a JSON file whole. Memory
    /// stays flat whatever the size. A file that fails its check is deleted and the error (400) thrown.
    /// </summary>
    public async Task<Spooled> SpoolAsync(Stream body, string salt, bool csv, CancellationToken ct)
    {
        var shape = csv ? new CsvShape() : null;
        Directory.CreateDirectory(options.SpoolDir);
        var path = Path.Combine(options.SpoolDir, Id32.New() + ".upload");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(salt));
        long bytes = 0;
        var buffer = new byte[1 << 16];
        var truncated = false;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    bytes += read;
                    shape?.Feed(buffer.AsSpan(0, read));
                    if (shape?.ProblemRow is not null)
                    {
                        truncated = true;
                        break;
                    }
                }
            }
            shape?.Complete();
            var rows = shape is null ? RowSources.CheckJson(path) : RowSources.CheckCsv(path, shape, truncated);
            return new Spooled(path, bytes, Convert.ToHexString(hash.GetHashAndReset()), rows);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public bool IsInline(ImportJob job) => JsonSerializer.Deserialize<StoredImportOptions>(job.Options, _json)!.Inline;

    public ImportStatus Status(ImportJob job)
    {
        var stored = JsonSerializer.Deserialize<StoredImportOptions>(job.Options, _json)!;
        var p = job.Progress;
        double? rate = null, eta = null;
        if (_live.TryGetValue(job.Id, out var live))
        {
            p = live.Snapshot();
            var seconds = live.Clock.Elapsed.TotalSeconds;
            if (seconds > 0.5 && p.RowsDone > live.ResumedAt)
            {
                rate = (p.RowsDone - live.ResumedAt) / seconds;
                eta = Math.Max(0, stored.TotalRows - p.RowsDone) / rate;
            }
        }
        else if (job is { Started: { } s, Finished: { } f } && f > s)
        {
            rate = p.RowsDone / (f - s).TotalSeconds;
        }
        return new ImportStatus(job.Id, job.State, job.ListId, job.CampaignId, stored.TotalRows, p.RowsDone, p.RowsFailed, p.RowsCreated,
            p.RowsUpdated, p.RowsSkipped, rate, eta, job.Error, job.Created, job.Started, job.Finished, $"/api/v1/imports/{job.Id}/failures");
    }

    /// <summary>Runs a small import while its request waits. Not tied to the request: a client that goes away does not stop it
    /// (a retry with the same Idempotency-Key gets the stored result). A server shutdown pauses it like a background job: the
    /// rows written so far stay with their checkpoint and the job resumes in the background at the next start.</summary>
    public async Task<InlineImportResponse> RunInlineAsync(ImportJob job)
    {
        var ct = lifetime.ApplicationStopping;
        var paused = false;
        var stored = JsonSerializer.Deserialize<StoredImportOptions>(job.Options, _json)!;
        var live = new LiveProgress { TotalRows = stored.TotalRows };
        _live[job.Id] = live;
        job = job with { State = ImportJobState.running, Started = time.GetUtcNow() };
        try
        {
            var results = await runner.RunAsync(job, stored.Settings, stored.DefaultRegion, live, collectResults: true, ct) ?? [];
            job = Finish(job, live, stored.Settings);
            var response = new InlineImportResponse(Status(job), results);
            _live.TryRemove(job.Id, out _);
            job = job with { Response = JsonSerializer.Serialize(response, _json) };
            await store.UpdateImportJobAsync(job, CancellationToken.None);
            return response;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            paused = true;
            _live.TryRemove(job.Id, out _);
            throw;
        }
        catch (Exception e)
        {
            _live.TryRemove(job.Id, out _);
            await store.UpdateImportJobAsync(job with { State = ImportJobState.failed, Error = e.Message, Finished = time.GetUtcNow() }, CancellationToken.None);
            throw;
        }
        finally
        {
            if (!paused) File.Delete(job.SpoolPath!);
        }
    }

    private ImportJob Finish(ImportJob job, LiveProgress live, ImportSettings settings)
    {
        var progress = live.Snapshot();
        var failed = settings.Atomic && progress.RowsFailed > 0;
        return job with
        {
            Progress = progress,
            State = failed ? ImportJobState.failed : ImportJobState.succeeded,
            Error = failed ? $"{progress.RowsFailed} rows failed; atomic import: no row was written" : null,
            Finished = time.GetUtcNow(),
        };
    }

    public async Task EnqueueAsync(ImportJob job, CancellationToken ct) => await _queue.Writer.WriteAsync(job, ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Jobs a stopped or crashed server left behind resume from their last checkpoint.
        foreach (var job in await store.GetUnfinishedImportJobsAsync(stoppingToken))
        {
            logger.LogInformation("Resuming import {JobId} after row {Row}", job.Id, job.Progress.RowsDone);
            await _queue.Writer.WriteAsync(job, stoppingToken);
        }
        await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken))
            await RunBackgroundAsync(job, stoppingToken);
    }

    private async Task RunBackgroundAsync(ImportJob job, CancellationToken ct)
    {
        var stored = JsonSerializer.Deserialize<StoredImportOptions>(job.Options, _json)!;
        var live = new LiveProgress { TotalRows = stored.TotalRows, ResumedAt = job.Progress.RowsDone };
        _live[job.Id] = live;
        job = job with { State = ImportJobState.running, Started = job.Started ?? time.GetUtcNow() };
        await store.UpdateImportJobAsync(job, ct);
        try
        {
            if (job.SpoolPath is null || !File.Exists(job.SpoolPath)) throw new FileNotFoundException("the uploaded file is gone from the data directory");
            await runner.RunAsync(job, stored.Settings, stored.DefaultRegion, live, collectResults: false, ct);
            job = Finish(job, live, stored.Settings);
            await store.UpdateImportJobAsync(job, CancellationToken.None);
            File.Delete(job.SpoolPath!);
            logger.LogInformation("Import {JobId} {State}: {Done} rows, {Failed} failed", job.Id, job.State, job.Progress.RowsDone, job.Progress.RowsFailed);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogInformation("Import {JobId} paused by shutdown; it resumes at the next start", job.Id);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Import {JobId} failed", job.Id);
            await store.UpdateImportJobAsync(job with { State = ImportJobState.failed, Error = e.Message, Finished = time.GetUtcNow(), Progress = live.Snapshot() }, CancellationToken.None);
        }
        finally
        {
            _live.TryRemove(job.Id, out _);
        }
    }
}
