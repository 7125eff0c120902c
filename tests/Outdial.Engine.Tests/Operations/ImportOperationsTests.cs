using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Imports;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Engine.Tests.Operations;

/// <summary>Import settings parsed once, the key and the request hash, inline against background, atomic, the region default.</summary>
public sealed class ImportOperationsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>The simplest wire format: a header line naming externalId and phone, then one "id,number" per line.</summary>
    private sealed class LineRows : IImportRows
    {
        public IEnumerable<SourceRow> Read(string path, string format, IReadOnlyDictionary<string, string>? mapping)
        {
            using var reader = new StreamReader(path);
            if (reader.ReadLine() != "externalId,phone") throw new ValidationException("the file needs a phone column");
            long number = 0;
            while (reader.ReadLine() is { } line)
            {
                var cells = line.Split(',');
                yield return new SourceRow(++number, new RecordFields { ExternalId = cells[0], Numbers = [cells[1]] }, null);
            }
        }
    }

    private sealed class Importer(OperationsDb db, long inlineMaxBytes = 1 << 20)
    {
        private static readonly LineRows Rows = new();
        public ImportJobs Jobs { get; } = new(db.Store, new ImportRunner(db.Store, Rows), db.Time);
        public ImportOperations Operations => new(db.Store, new Outdial.Engine.Operations.Records.RecordOperations(db.Store), Rows, Jobs, new ImportHosting(inlineMaxBytes, CancellationToken.None), db.Time);

        /// <summary>Spools <paramref name="lines"/> as an upload whose request hash is <paramref name="hash"/>.</summary>
        public ImportUpload Upload(string hash, params string[] lines)
        {
            var path = Path.Combine(db.Dir, Id32.New() + ".upload");
            File.WriteAllLines(path, ["externalId,phone", .. lines]);
            return new ImportUpload(path, new FileInfo(path).Length, hash, lines.Length);
        }
    }

    [Theory]
    [InlineData("SKIP", null, null, null, DuplicatePolicy.skip, false, null)]
    [InlineData(null, "1", "gb", null, DuplicatePolicy.reject, true, "GB")]
    [InlineData("overwrite", "false", " de ", "{\"Mobile\":\"phone1\"}", DuplicatePolicy.overwrite, false, "DE")]
    public void Settings_are_parsed_once_from_the_request_values(string? duplicates, string? atomic, string? region, string? mapping,
        DuplicatePolicy policy, bool isAtomic, string? parsedRegion)
    {
        var settings = ImportSettings.Parse(duplicates, atomic, region, mapping);
        Assert.Equal((policy, isAtomic, parsedRegion), (settings.Duplicates, settings.Atomic, settings.Region));
        Assert.Equal(mapping is null ? null : "phone1", settings.Mapping?["Mobile"]);
    }

    [Theory]
    [InlineData("5", null, null, null, "duplicates")] // a number is not a policy
    [InlineData("never", null, null, null, "duplicates")]
    [InlineData(null, "yes", null, null, "atomic")]
    [InlineData(null, null, "XX", null, "region")]
    [InlineData(null, null, null, "[1]", "mapping")]
    public void A_bad_setting_names_its_parameter(string? duplicates, string? atomic, string? region, string? mapping, string field) =>
        Assert.Equal(field, Assert.Throws<ValidationException>(() => ImportSettings.Parse(duplicates, atomic, region, mapping)).Field);

    [Fact]
    public void A_request_is_checked_before_its_body_and_its_salt_tells_settings_and_targets_apart()
    {
        var target = new ImportTarget("list", Id32.New(), null, null);
        var mapped = new ImportSettings(Mapping: new() { ["Mobile"] = "phone1" });
        Assert.Equal("mapping", Assert.Throws<ValidationException>(() => ImportOperations.Prepare(target, "json", mapped, null, null)).Field);
        Assert.Equal("Idempotency-Key", Assert.Throws<ValidationException>(() => ImportOperations.Prepare(target, "csv", new(), null, new string('k', 201))).Field);
        Assert.Equal("async", Assert.Throws<ValidationException>(() => ImportOperations.Prepare(target, "csv", new(), "yes", null)).Field);

        var plain = ImportOperations.Prepare(target, "csv", new(), "", "");
        Assert.Equal((null, false), (plain.IdempotencyKey, plain.Async));
        Assert.True(ImportOperations.Prepare(target, "csv", new(), "true", new string('k', 200)).Async);
        Assert.NotEqual(plain.Salt, ImportOperations.Prepare(target, "csv", new(Atomic: true), null, null).Salt);
        Assert.NotEqual(plain.Salt, ImportOperations.Prepare(target, "json", new(), null, null).Salt);
        Assert.NotEqual(plain.Salt, ImportOperations.Prepare(target with { ListId = Id32.New() }, "csv", new(), null, null).Salt);
    }

    [Fact]
    public async Task A_retry_with_the_same_key_answers_the_first_result_and_a_different_request_is_refused()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var importer = new Importer(db);
        var target = await importer.Operations.CampaignTargetAsync(db.Tenant, db.Campaign.Id, Ct);
        var request = ImportOperations.Prepare(target, "csv", new(), null, "key-1");

        var upload = importer.Upload("H1", "A,+447400100001", "B,+447400100002");
        var first = await importer.Operations.StartAsync(db.Tenant, request, upload, Ct);
        Assert.Equal(ImportOutcome.Finished, first.Outcome);
        Assert.Equal([201, 201], first.Inline!.Results.Select(r => r.StatusCode));
        Assert.Equal(ImportJobState.succeeded, first.Inline.Job.State);
        Assert.False(File.Exists(upload.Path));

        var retry = importer.Upload("H1", "A,+447400100001", "B,+447400100002");
        var again = await importer.Operations.StartAsync(db.Tenant, request, retry, Ct);
        Assert.Equal(ImportOutcome.Finished, again.Outcome);
        Assert.Equal(first.Inline.Job.Id, again.Inline!.Job.Id);
        Assert.Equal(first.Inline.Results, again.Inline.Results);
        Assert.False(File.Exists(retry.Path));

        var other = importer.Upload("H2", "C,+447400100003");
        Assert.Equal(ImportOutcome.KeyReused, (await importer.Operations.StartAsync(db.Tenant, request, other, Ct)).Outcome);
        Assert.False(File.Exists(other.Path));
        Assert.Equal(2, (await importer.Operations.StatusAsync(db.Tenant, first.Inline.Job.Id, Ct)).RowsCreated);
    }

    [Fact]
    public async Task A_large_or_async_upload_becomes_a_queued_job_that_a_retry_does_not_queue_twice()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var importer = new Importer(db, inlineMaxBytes: 10);
        var target = await importer.Operations.ListTargetAsync(db.Tenant, db.Campaign.DefaultListId!, Ct);
        var request = ImportOperations.Prepare(target, "csv", new(), null, "key-2");

        var upload = importer.Upload("H", "A,+447400100001");
        var start = await importer.Operations.StartAsync(db.Tenant, request, upload, Ct);
        Assert.Equal((ImportOutcome.Accepted, ImportJobState.queued), (start.Outcome, start.Job!.State));
        Assert.True(File.Exists(upload.Path)); // the job keeps its file until it has run
        Assert.True(importer.Jobs.Queued.TryRead(out var job));

        var retry = await importer.Operations.StartAsync(db.Tenant, request, importer.Upload("H", "A,+447400100001"), Ct);
        Assert.Equal((ImportOutcome.Accepted, start.Job.Id), (retry.Outcome, retry.Job!.Id));
        Assert.False(importer.Jobs.Queued.TryRead(out _));

        var run = await importer.Jobs.RunQueuedAsync(job, Ct);
        Assert.Null(run.Error);
        var status = await importer.Operations.StatusAsync(db.Tenant, job.Id, Ct);
        Assert.Equal((ImportJobState.succeeded, 1, 1), (status.State, status.RowsTotal, status.RowsCreated));
        Assert.False(File.Exists(upload.Path));
    }

    [Fact]
    public async Task A_file_whose_header_is_unusable_is_refused_before_a_job_exists()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var importer = new Importer(db);
        var target = await importer.Operations.CampaignTargetAsync(db.Tenant, db.Campaign.Id, Ct);
        var path = Path.Combine(db.Dir, "bad.upload");
        await File.WriteAllTextAsync(path, "name\nAda\n", Ct);

        await Assert.ThrowsAsync<ValidationException>(() => importer.Operations.StartAsync(db.Tenant,
            ImportOperations.Prepare(target, "csv", new(), null, "key-3"), new ImportUpload(path, 9, "H", 1), Ct));

        Assert.False(File.Exists(path));
        Assert.Null(await db.Store.GetImportJobByKeyAsync(db.Tenant, "key-3", Ct));
    }

    [Fact]
    public async Task National_numbers_take_the_campaigns_region_and_an_atomic_import_with_a_bad_row_lands_nothing()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync(campaignRegion: "GB");
        var importer = new Importer(db);
        var target = await importer.Operations.CampaignTargetAsync(db.Tenant, db.Campaign.Id, Ct);
        Assert.Equal("GB", target.DefaultRegion);

        var national = await importer.Operations.StartAsync(db.Tenant, ImportOperations.Prepare(target, "csv", new(), null, null),
            importer.Upload("H1", "A,07400 123456"), Ct);
        Assert.Equal(201, Assert.Single(national.Inline!.Results).StatusCode);

        var atomic = await importer.Operations.StartAsync(db.Tenant, ImportOperations.Prepare(target, "csv", new(Atomic: true), null, null),
            importer.Upload("H2", "B,07400 123457", "C,nonsense"), Ct);
        Assert.Equal(ImportJobState.failed, atomic.Inline!.Job.State);
        Assert.Equal([200, 400], atomic.Inline.Results.Select(r => r.StatusCode));
        Assert.Equal(0, atomic.Inline.Job.RowsCreated);
    }
}
