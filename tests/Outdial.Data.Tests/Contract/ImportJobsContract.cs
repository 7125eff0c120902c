using Outdial.Engine.Domain;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>Import jobs: one job per idempotency key (also when two requests race), progress and failures written with
/// the rows, unfinished jobs found again after a restart.</summary>
public abstract class ImportJobsContract<TFixture> : StoreContract<TFixture> where TFixture : StoreFixture, new()
{
    internal static ImportJob Job(string listId, string? key) => new()
    {
        Id = Id32.New(),
        IdempotencyKey = key,
        RequestHash = "hash-" + key,
        Kind = "records",
        ListId = listId,
        Format = "csv",
        Options = "{}",
        State = ImportJobState.queued,
        Created = T0,
    };

    [Fact]
    public async Task The_same_key_returns_the_first_job_and_no_key_always_creates()
    {
        var list = await ListAsync(TenantA, "list");
        var (first, created) = await Store.CreateImportJobAsync(TenantA, Job(list.Id, "k"), Ct);
        Assert.True(created);
        Assert.Equal(TenantA, first.TenantId);
        var (again, createdAgain) = await Store.CreateImportJobAsync(TenantA, Job(list.Id, "k") with { RequestHash = "other" }, Ct);
        Assert.False(createdAgain);
        Assert.Equal((first.Id, "hash-k"), (again.Id, again.RequestHash));
        Assert.Equal(first.Id, (await Store.GetImportJobByKeyAsync(TenantA, "k", Ct))!.Id);
        Assert.Null(await Store.GetImportJobByKeyAsync(TenantA, "other", Ct));

        var (x, xCreated) = await Store.CreateImportJobAsync(TenantA, Job(list.Id, null), Ct);
        var (y, yCreated) = await Store.CreateImportJobAsync(TenantA, Job(list.Id, null), Ct);
        Assert.True(xCreated && yCreated);
        Assert.NotEqual(x.Id, y.Id);
    }

    [Fact]
    public async Task Racing_requests_with_one_key_get_one_job()
    {
        var list = await ListAsync(TenantA, "list");
        var other = await Fixture.OpenAsync(Time, Ct); // a second server on the same database
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => (i % 2 == 0 ? Store : other).CreateImportJobAsync(TenantA, Job(list.Id, "race"), Ct))));
        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Job.Id).Distinct());
    }

    [Fact]
    public async Task Progress_and_failures_are_kept_and_unfinished_jobs_are_listed()
    {
        var list = await ListAsync(TenantA, "list");
        var (job, _) = await Store.CreateImportJobAsync(TenantA, Job(list.Id, "k"), Ct);
        var (done, _) = await Store.CreateImportJobAsync(TenantA, Job(list.Id, "d"), Ct);
        var running = job with { State = ImportJobState.running, Started = T0.AddSeconds(1) };
        await Store.UpdateImportJobAsync(running, Ct);
        await Store.UpdateImportJobAsync(done with { State = ImportJobState.succeeded, Finished = T0.AddSeconds(2), Response = "{}" }, Ct);

        await using (var writer = (await Store.BeginRecordWriteAsync(TenantA, list.Id, DuplicatePolicy.reject, job.Id, Ct))!)
        {
            writer.Write(Draft("a", 1));
            writer.SaveJobProgress(new ImportProgress { RowsDone = 2, RowsCreated = 1, RowsFailed = 1 }, [new ImportFailure(2, "b", "bad number")]);
            await writer.CommitAsync(Ct);
            writer.Write(Draft("c", 3));
            writer.SaveJobProgress(new ImportProgress { RowsDone = 3, RowsCreated = 2, RowsFailed = 1 }, []);
            await writer.RollbackAsync(Ct); // progress goes with the rows it counts
        }

        var stored = (await Store.GetImportJobAsync(TenantA, job.Id, Ct))!;
        Assert.Equal((ImportJobState.running, 2L, 1L, T0.AddSeconds(1)), (stored.State, stored.Progress.RowsDone, stored.Progress.RowsCreated, stored.Started!.Value));
        Assert.Equal([new ImportFailure(2, "b", "bad number")], await Store.GetImportFailuresAsync(TenantA, job.Id, Ct));
        Assert.Equal([job.Id], (await Store.GetUnfinishedImportJobsAsync(Ct)).Select(j => j.Id));
        var finished = (await Store.GetImportJobAsync(TenantA, done.Id, Ct))!;
        Assert.Equal((ImportJobState.succeeded, "{}"), (finished.State, finished.Response));

        // A job is changed in its own tenant only.
        await Store.UpdateImportJobAsync(running with { TenantId = TenantB, State = ImportJobState.failed }, Ct);
        Assert.Equal(ImportJobState.running, (await Store.GetImportJobAsync(TenantA, job.Id, Ct))!.State);
    }
}
