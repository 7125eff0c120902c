using Outdial.Engine.Operations.Imports;

namespace Outdial.Server.Features.Imports;

/// <summary>Hosts the engine's background imports: resumes unfinished jobs at start, then runs queued jobs one at a time.</summary>
internal sealed class ImportService(ImportJobs jobs, ILogger<ImportService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var job in await jobs.ResumeAsync(stoppingToken))
            logger.LogInformation("Resuming import {JobId} after row {Row}", job.Id, job.Progress.RowsDone);
        await foreach (var job in jobs.Queued.ReadAllAsync(stoppingToken))
        {
            var run = await jobs.RunQueuedAsync(job, stoppingToken);
            if (run.Paused) logger.LogInformation("Import {JobId} paused by shutdown; it resumes at the next start", run.Job.Id);
            else if (run.Error is not null) logger.LogError(run.Error, "Import {JobId} failed", run.Job.Id);
            else logger.LogInformation("Import {JobId} {State}: {Done} rows, {Failed} failed", run.Job.Id, run.Job.State, run.Job.Progress.RowsDone, run.Job.Progress.RowsFailed);
        }
    }
}
