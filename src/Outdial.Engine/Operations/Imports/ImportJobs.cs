using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Imports;

/// <summary>How a background run ended (for the host's log): the job as stored after it, and the error when it failed.</summary>
public sealed record ImportRun(ImportJob Job, bool Paused, Exception? Error);

/// <summary>
/// Runs import jobs: inline while a request waits, or from the background queue, which the host drains
/// (<see cref="Queued"/>, <see cref="RunQueuedAsync"/>) and refills at start with what a stop or crash left unfinished
/// (<see cref="ResumeAsync"/>). Keeps the counters of running jobs for their status.
/// </summary>
public sealed class ImportJobs(IStore store, ImportRunner runner, TimeProvider time)
{
    private readonly Channel<ImportJob> _queue = Channel.CreateUnbounded<ImportJob>();
    private readonly ConcurrentDictionary<string, LiveProgress> _live = new(StringComparer.Ordinal);

    public ChannelReader<ImportJob> Queued => _queue.Reader;

    public async Task EnqueueAsync(ImportJob job, CancellationToken ct) => await _queue.Writer.WriteAsync(job, ct);

    /// <summary>Queues the jobs a stopped or crashed server left behind; they resume from their last checkpoint.</summary>
    /// <returns>The jobs queued.</returns>
    public async Task<IReadOnlyList<ImportJob>> ResumeAsync(CancellationToken ct)
    {
        var unfinished = await store.GetUnfinishedImportJobsAsync(ct);
        foreach (var job in unfinished) await _queue.Writer.WriteAsync(job, ct);
        return unfinished;
    }

    public ImportStatus Status(ImportJob job)
    {
        var stored = StoredImportOptions.Of(job);
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
    /// (a retry with the same Idempotency-Key gets the stored result). A shutdown (<paramref name="stopping"/>) pauses it like a
    /// background job: the rows written so far stay with their checkpoint and the job resumes in the background at the next
    /// start; the <see cref="OperationCanceledException"/> is thrown.</summary>
    public async Task<InlineImportResult> RunInlineAsync(ImportJob job, CancellationToken stopping)
    {
        var paused = false;
        var stored = StoredImportOptions.Of(job);
        var live = new LiveProgress { TotalRows = stored.TotalRows };
        _live[job.Id] = live;
        job = job with { State = ImportJobState.running, Started = time.GetUtcNow() };
        try
        {
            var results = await runner.RunAsync(job, stored.Settings, stored.DefaultRegion, live, collectResults: true, stopping) ?? [];
            job = Finish(job, live, stored.Settings);
            var response = new InlineImportResult(Status(job), results);
            _live.TryRemove(job.Id, out _);
            job = job with { Response = JsonSerializer.Serialize(response, StoredImportOptions.Json) };
            await store.UpdateImportJobAsync(job, CancellationToken.None);
            return response;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
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

    /// <summary>Runs a queued job to its end. A shutdown (<paramref name="ct"/>) pauses it at its last checkpoint; any other
    /// failure is stored on the job. Never throws.</summary>
    public async Task<ImportRun> RunQueuedAsync(ImportJob job, CancellationToken ct)
    {
        var stored = StoredImportOptions.Of(job);
        var live = new LiveProgress { TotalRows = stored.TotalRows, ResumedAt = job.Progress.RowsDone };
        _live[job.Id] = live;
        try
        {
            job = job with { State = ImportJobState.running, Started = job.Started ?? time.GetUtcNow() };
            await store.UpdateImportJobAsync(job, ct);
            if (job.SpoolPath is null || !File.Exists(job.SpoolPath)) throw new FileNotFoundException("the uploaded file is gone from the data directory");
            await runner.RunAsync(job, stored.Settings, stored.DefaultRegion, live, collectResults: false, ct);
            job = Finish(job, live, stored.Settings);
            await store.UpdateImportJobAsync(job, CancellationToken.None);
            File.Delete(job.SpoolPath!);
            return new ImportRun(job, false, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new ImportRun(job, true, null);
        }
        catch (Exception e)
        {
            job = job with { State = ImportJobState.failed, Error = e.Message, Finished = time.GetUtcNow(), Progress = live.Snapshot() };
            await store.UpdateImportJobAsync(job, CancellationToken.None);
            return new ImportRun(job, false, e);
        }
        finally
        {
            _live.TryRemove(job.Id, out _);
        }
    }

    /// <summary>The job's end state: an atomic import with a failed row lands nothing and fails.</summary>
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
}
