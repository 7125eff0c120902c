using System.Diagnostics;
using System.Threading.Channels;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Operations.Imports;

/// <summary>One row of an import file: its 1-based number and its fields, or why it could not be read.</summary>
public readonly record struct SourceRow(long Number, RecordFields? Fields, string? Error);

/// <summary>Reads the rows of a spooled import file: the wire formats (CSV, JSON) are the adapter's, the import is the engine's.</summary>
/// <remarks>Rows stream in file order, numbered from 1, without holding the file in memory. A file whose structure or header
/// is unusable throws a <see cref="ValidationException"/> when its first row is read.</remarks>
public interface IImportRows
{
    IEnumerable<SourceRow> Read(string path, string format, IReadOnlyDictionary<string, string>? mapping);
}

/// <summary>Counters of a running import, readable while it runs.</summary>
public sealed class LiveProgress
{
    private long _done, _failed, _created, _updated, _skipped;
    public long TotalRows { get; init; }
    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    public long ResumedAt { get; init; }

    public ImportProgress Snapshot() => new()
    {
        RowsDone = Volatile.Read(ref _done),
        RowsFailed = Volatile.Read(ref _failed),
        RowsCreated = Volatile.Read(ref _created),
        RowsUpdated = Volatile.Read(ref _updated),
        RowsSkipped = Volatile.Read(ref _skipped),
    };

    public void Start(ImportProgress p)
    {
        _done = p.RowsDone; _failed = p.RowsFailed; _created = p.RowsCreated; _updated = p.RowsUpdated; _skipped = p.RowsSkipped;
    }

    public void Count(RowStatus status)
    {
        Interlocked.Increment(ref _done);
        switch (status)
        {
            case RowStatus.Created: Interlocked.Increment(ref _created); break;
            case RowStatus.Updated: Interlocked.Increment(ref _updated); break;
            case RowStatus.Skipped: Interlocked.Increment(ref _skipped); break;
            default: Interlocked.Increment(ref _failed); break;
        }
    }

    /// <summary>Marks all rows written so far as not landed (an atomic import that failed).</summary>
    public void Discard() { _created = 0; _updated = 0; _skipped = 0; }
}

/// <summary>Runs one import from its spooled file: reads, validates in parallel, writes in batches with checkpoints.</summary>
public sealed class ImportRunner(IStore store, IImportRows rows)
{
    /// <summary>Rows per transaction (and checkpoint).</summary>
    private const int BatchSize = 4096;

    /// <summary>Rows per hand-over between the reading and writing threads. Small, so that few prepared rows are alive at a
    /// garbage collection (rows waiting in the channel survive it and get copied); 8 chunks in flight keep both busy.</summary>
    private const int ChunkSize = 256;

    private sealed record Prepared(long Number, RecordDraft? Draft, string? ExternalId, string? Error);

    /// <returns>Per-row results when <paramref name="collectResults"/>, else null.</returns>
    public async Task<List<ImportRowResult>?> RunAsync(ImportJob job, ImportSettings settings, string? defaultRegion, LiveProgress live, bool collectResults, CancellationToken ct)
    {
        var skip = job.Progress.RowsDone;
        live.Start(job.Progress);
        var region = settings.Region ?? defaultRegion;

        var batches = Channel.CreateBounded<Prepared[]>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        // Reading and normalizing run on a thread of their own, the store writes on this one: two cores, two stages, and no
        // thread-pool starvation of the writer (a Parallel.For here measured slower on two cores).
        // Started whatever the token: Produce itself stops on cancellation and always completes the channel.
        var producer = Task.Factory.StartNew(() => Produce(job, settings, region, skip, batches.Writer, ct), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return await WriteAsync(job, settings, live, collectResults, batches.Reader, producer, ct);
        }
        finally
        {
            // If writing failed, release the reading thread if it is blocked on a full channel (its write then throws, which
            // Produce catches) before waiting for it: it must not outlive the job holding the spool file.
            batches.Writer.TryComplete();
            await producer;
        }
    }

    private async Task<List<ImportRowResult>?> WriteAsync(ImportJob job, ImportSettings settings, LiveProgress live, bool collectResults,
        ChannelReader<Prepared[]> batches, Task producer, CancellationToken ct)
    {
        var results = collectResults ? new List<ImportRowResult>() : null;

        await using var writer = await store.BeginRecordWriteAsync(job.TenantId, job.ListId, settings.Duplicates, job.Id, ct)
            ?? throw new InvalidOperationException($"calling list {job.ListId} vanished");
        var anyFailed = false;
        var failures = new List<ImportFailure>();
        var uncommitted = 0;
        // The loop reads without the token: on shutdown the producer stops and completes the channel, so rows already
        // prepared are written and committed with their checkpoint below rather than rolled back.
        await foreach (var batch in batches.ReadAllAsync(CancellationToken.None))
        {
            uncommitted += batch.Length;
            foreach (var row in batch)
            {
                RowOutcome outcome = row.Draft is null
                    ? new RowOutcome(RowStatus.Failed, null, 0, row.Error)
                    : writer.Write(row.Draft);
                live.Count(outcome.Status);
                if (outcome.Status is RowStatus.Failed or RowStatus.UnknownReference)
                {
                    anyFailed = true;
                    failures.Add(new ImportFailure(row.Number, row.ExternalId, outcome.Error!));
                }
                results?.Add(outcome.Status switch
                {
                    RowStatus.Created => new ImportRowResult(201, outcome.Id),
                    RowStatus.Updated => new ImportRowResult(200, outcome.Id),
                    RowStatus.Skipped => new ImportRowResult(200, null, outcome.Error),
                    RowStatus.UnknownReference => new ImportRowResult(422, null, outcome.Error),
                    _ => new ImportRowResult(row.Draft is null ? 400 : 409, null, outcome.Error),
                });
            }
            if (!settings.Atomic && uncommitted >= BatchSize)
            {
                uncommitted = 0;
                // Rows and the checkpoint land in one transaction: a crash resumes exactly after the last batch.
                writer.SaveJobProgress(live.Snapshot(), failures);
                // Not cancellable: on shutdown what was handed over is written and committed (see below).
                await writer.CommitAsync(CancellationToken.None);
                failures.Clear();
            }
        }
        await producer;
        if (ct.IsCancellationRequested)
        {
            // Shutdown: what was written lands with its checkpoint (the job resumes after it); an atomic import lands nothing.
            if (!settings.Atomic)
            {
                writer.SaveJobProgress(live.Snapshot(), failures);
                await writer.CommitAsync(CancellationToken.None);
            }
            ct.ThrowIfCancellationRequested();
        }

        if (settings.Atomic && anyFailed)
        {
            await writer.RollbackAsync(ct);
            live.Discard();
            if (results is not null)
                for (var i = 0; i < results.Count; i++)
                    if (results[i].StatusCode is 200 or 201) results[i] = new ImportRowResult(200);
        }
        writer.SaveJobProgress(live.Snapshot(), failures);
        await writer.CommitAsync(CancellationToken.None);
        return results;
    }

    private void Produce(ImportJob job, ImportSettings settings, string? region, long skip, ChannelWriter<Prepared[]> output, CancellationToken ct)
    {
        try
        {
            var pending = new List<SourceRow>(ChunkSize);
            foreach (var row in rows.Read(job.SpoolPath!, job.Format, settings.Mapping))
            {
                if (row.Number <= skip) continue;
                if (ct.IsCancellationRequested) break; // shutdown: the writer finishes what was handed over
                pending.Add(row);
                if (pending.Count == ChunkSize)
                {
                    Send(output, Prepare(pending, region));
                    pending.Clear();
                }
            }
            if (pending.Count > 0 && !ct.IsCancellationRequested) Send(output, Prepare(pending, region));
            output.TryComplete();
        }
        catch (Exception e)
        {
            output.TryComplete(e);
        }
    }

    /// <summary>Blocks this (dedicated) thread while the writer is behind: memory stays bounded by the channel. Not cancellable:
    /// the writer drains the channel to its end even on shutdown.</summary>
    private static void Send(ChannelWriter<Prepared[]> output, Prepared[] batch)
    {
        if (!output.TryWrite(batch)) output.WriteAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Validation, E.164 normalization and the stored JSON forms: everything but the store write.</summary>
    private static Prepared[] Prepare(List<SourceRow> rows, string? region)
    {
        var prepared = new Prepared[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Fields is null)
            {
                prepared[i] = new Prepared(row.Number, null, null, row.Error);
                continue;
            }
            var draft = RecordValidation.Build(row.Fields, region, out var error);
            prepared[i] = new Prepared(row.Number, error is null ? draft.Encode() : null, row.Fields.ExternalId, error);
        }
        return prepared;
    }
}
