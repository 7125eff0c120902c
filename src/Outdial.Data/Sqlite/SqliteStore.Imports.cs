using Dapper;
using Microsoft.Data.Sqlite;
using Outdial.Engine.Storage;

namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private const string JobSelect = """
        SELECT j.uid AS Id, j.tenant_id AS TenantId, j.idempotency_key AS IdempotencyKey, j.request_hash AS RequestHash, j.kind AS Kind,
               j.list_uid AS ListId, j.campaign_uid AS CampaignId, j.format AS Format, j.options AS Options, j.spool_path AS SpoolPath,
               j.state AS State, j.rows_done AS RowsDone, j.rows_failed AS RowsFailed, j.rows_created AS RowsCreated,
               j.rows_updated AS RowsUpdated, j.rows_skipped AS RowsSkipped, j.error AS Error, j.response AS Response,
               j.created AS Created, j.started AS Started, j.finished AS Finished
        FROM import_jobs j
        """;

    private sealed class JobRow
    {
        public string Id { get; set; } = "";
        public long TenantId { get; set; }
        public string? IdempotencyKey { get; set; }
        public string? RequestHash { get; set; }
        public string Kind { get; set; } = "";
        public string ListId { get; set; } = "";
        public string? CampaignId { get; set; }
        public string Format { get; set; } = "";
        public string Options { get; set; } = "";
        public string? SpoolPath { get; set; }
        public string State { get; set; } = "";
        public long RowsDone { get; set; }
        public long RowsFailed { get; set; }
        public long RowsCreated { get; set; }
        public long RowsUpdated { get; set; }
        public long RowsSkipped { get; set; }
        public string? Error { get; set; }
        public string? Response { get; set; }
        public long Created { get; set; }
        public long? Started { get; set; }
        public long? Finished { get; set; }

        public ImportJob ToJob() => new()
        {
            Id = Id,
            TenantId = TenantId,
            IdempotencyKey = IdempotencyKey,
            RequestHash = RequestHash,
            Kind = Kind,
            ListId = ListId,
            CampaignId = CampaignId,
            Format = Format,
            Options = Options,
            SpoolPath = SpoolPath,
            State = Enum.Parse<ImportJobState>(State),
            Progress = new ImportProgress { RowsDone = RowsDone, RowsFailed = RowsFailed, RowsCreated = RowsCreated, RowsUpdated = RowsUpdated, RowsSkipped = RowsSkipped },
            Error = Error,
            Response = Response,
            Created = FromMs(Created)!.Value,
            Started = FromMs(Started),
            Finished = FromMs(Finished),
        };
    }

    public async Task<(ImportJob Job, bool Created)> CreateImportJobAsync(long tenant, ImportJob job, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO import_jobs (uid, tenant_id, idempotency_key, request_hash, kind, list_uid, campaign_uid, format, options,
                                         spool_path, state, response, created)
                VALUES (@Id, @tenant, @IdempotencyKey, @RequestHash, @Kind, @ListId, @CampaignId, @Format, @Options, @SpoolPath, @state, @Response, @created)
                """, new
            {
                job.Id,
                tenant,
                job.IdempotencyKey,
                job.RequestHash,
                job.Kind,
                job.ListId,
                job.CampaignId,
                job.Format,
                job.Options,
                job.SpoolPath,
                state = job.State.ToString(),
                job.Response,
                created = job.Created.ToUnixTimeMilliseconds(),
            }, cancellationToken: ct));
            return (job with { TenantId = tenant }, true);
        }
        catch (SqliteException e) when (IsUniqueViolation(e) && job.IdempotencyKey is not null)
        {
            var existing = await connection.QuerySingleAsync<JobRow>(new CommandDefinition(
                $"{JobSelect} WHERE j.tenant_id = @tenant AND j.idempotency_key = @IdempotencyKey", new { tenant, job.IdempotencyKey }, cancellationToken: ct));
            return (existing.ToJob(), false);
        }
    }

    public async Task<ImportJob?> GetImportJobAsync(long tenant, string id, CancellationToken ct) =>
        (await QueryAsync<JobRow>($"{JobSelect} WHERE j.tenant_id = @tenant AND j.uid = @id", new { tenant, id }, ct)).SingleOrDefault()?.ToJob();

    public async Task<ImportJob?> GetImportJobByKeyAsync(long tenant, string idempotencyKey, CancellationToken ct) =>
        (await QueryAsync<JobRow>($"{JobSelect} WHERE j.tenant_id = @tenant AND j.idempotency_key = @idempotencyKey", new { tenant, idempotencyKey }, ct)).SingleOrDefault()?.ToJob();

    public async Task UpdateImportJobAsync(ImportJob job, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE import_jobs SET state = @state, rows_done = @RowsDone, rows_failed = @RowsFailed, rows_created = @RowsCreated,
                rows_updated = @RowsUpdated, rows_skipped = @RowsSkipped, error = @Error, response = @Response,
                started = @started, finished = @finished
            WHERE tenant_id = @TenantId AND uid = @Id
            """, new
        {
            state = job.State.ToString(),
            job.Progress.RowsDone,
            job.Progress.RowsFailed,
            job.Progress.RowsCreated,
            job.Progress.RowsUpdated,
            job.Progress.RowsSkipped,
            job.Error,
            job.Response,
            started = ToMs(job.Started),
            finished = ToMs(job.Finished),
            job.TenantId,
            job.Id,
        }, cancellationToken: ct));
    }

    internal static void SaveJobProgress(SqliteConnection connection, SqliteTransaction tx, long jobId, ImportProgress progress, IReadOnlyList<ImportFailure> failures)
    {
        connection.Execute("""
            UPDATE import_jobs SET rows_done = @RowsDone, rows_failed = @RowsFailed, rows_created = @RowsCreated,
                rows_updated = @RowsUpdated, rows_skipped = @RowsSkipped
            WHERE id = @jobId
            """, new { progress.RowsDone, progress.RowsFailed, progress.RowsCreated, progress.RowsUpdated, progress.RowsSkipped, jobId }, tx);
        if (failures.Count > 0)
            connection.Execute(
                "INSERT OR REPLACE INTO import_failures (job_id, row_number, external_id, error) VALUES (@jobId, @RowNumber, @ExternalId, @Error)",
                failures.Select(f => new { jobId, f.RowNumber, f.ExternalId, f.Error }), tx);
    }

    public async Task<IReadOnlyList<ImportFailure>> GetImportFailuresAsync(long tenant, string jobId, CancellationToken ct) =>
        (await QueryAsync<(long RowNumber, string? ExternalId, string Error)>("""
            SELECT f.row_number, f.external_id, f.error FROM import_failures f JOIN import_jobs j ON j.id = f.job_id
            WHERE j.tenant_id = @tenant AND j.uid = @jobId ORDER BY f.row_number
            """, new { tenant, jobId }, ct)).Select(f => new ImportFailure(f.RowNumber, f.ExternalId, f.Error)).ToList();

    public async Task<IReadOnlyList<ImportJob>> GetUnfinishedImportJobsAsync(CancellationToken ct) =>
        (await QueryAsync<JobRow>($"{JobSelect} WHERE j.state IN ('queued', 'running') ORDER BY j.id", new { }, ct)).Select(j => j.ToJob()).ToList();
}
