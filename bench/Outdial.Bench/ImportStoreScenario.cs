using System.Diagnostics;
using System.Globalization;
using Outdial.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Phones;
using Outdial.Engine.Records;

namespace Outdial.Bench;

/// <summary>Splits the import cost: normalization alone, then store writes alone, on the same rows.</summary>
internal static class ImportStoreScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        var dir = Path.Combine(Path.GetTempPath(), "outdial-bench-store");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        await using var store = new SqliteStore(Path.Combine(dir, "outdial.db"), TimeProvider.System);
        await store.MigrateAsync(default);
        var tenant = await store.EnsureTenantAsync("bench", default);
        var campaign = await store.CreateCampaignAsync(tenant, new Campaign { Id = Id32.New(), Name = "c", Registered = DateTimeOffset.UtcNow, Modified = DateTimeOffset.UtcNow }, default);

        var sw = Stopwatch.StartNew();
        var drafts = new RecordDraft[rows];
        for (var i = 0; i < rows; i++)
        {
            var fields = new RecordFields
            {
                ExternalId = "C" + i.ToString(CultureInfo.InvariantCulture),
                Numbers = ["+44 7400 " + (100000 + i % 900000).ToString(CultureInfo.InvariantCulture)],
                Attributes = [new RecordAttribute("Name", "Customer " + i), new RecordAttribute("City", "City " + (i % 500))],
            };
            drafts[i] = RecordValidation.Build(fields, "GB", out _);
        }
        Console.WriteLine($"validate+normalize: {rows / sw.Elapsed.TotalSeconds:N0} rows/s (one core)");

        var csv = Path.Combine(Path.GetTempPath(), "outdial-bench-import", "records.csv");
        if (File.Exists(csv))
        {
            sw.Restart();
            long n = 0, valid = 0;
            var json = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
            foreach (var row in Outdial.Server.Features.Imports.RowSources.Read(csv, "csv", null, json))
            {
                if (++n > rows) break;
                if (row.Fields is not null && RecordValidation.Build(row.Fields, "GB", out _) is { } d) { d.Encode(); valid++; }
            }
            Console.WriteLine($"csv read + map + validate + encode (one core): {n / sw.Elapsed.TotalSeconds:N0} rows/s ({valid} valid)");

            // The import runner as the server runs it (pipeline: read, normalize in parallel, write), without HTTP.
            var list = new CallingList(Id32.New(), "runner", "GB", DateTimeOffset.UtcNow);
            await store.CreateCallingListAsync(tenant, list, default);
            var job = new Outdial.Engine.Storage.ImportJob
            {
                Id = Id32.New(),
                Kind = "list",
                ListId = list.Id,
                Format = "csv",
                Options = "{}",
                SpoolPath = csv,
                Created = DateTimeOffset.UtcNow,
            };
            (job, _) = await store.CreateImportJobAsync(tenant, job, default);
            var runner = new Outdial.Server.Features.Imports.ImportRunner(store,
                Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Http.Json.JsonOptions()));
            sw.Restart();
            var live = new Outdial.Server.Features.Imports.LiveProgress();
            await runner.RunAsync(job, new Outdial.Server.Features.Imports.ImportSettings(), "GB", live, collectResults: false, default);
            Console.WriteLine($"import runner (whole file): {live.Snapshot().RowsDone / sw.Elapsed.TotalSeconds:N0} rows/s ({live.Snapshot().RowsCreated} created)");
        }

        sw.Restart();
        long total = 0;
        foreach (var d in drafts)
        {
            total += d.Encode().PhonesJson.Length + d.AttributesJson.Length;
        }
        Console.WriteLine($"encode json: {rows / sw.Elapsed.TotalSeconds:N0} rows/s ({total})");

        sw.Restart();
        await using (var writer = (await store.BeginRecordWriteAsync(tenant, campaign.DefaultListId!, DuplicatePolicy.reject, null, default))!)
        {
            for (var i = 0; i < rows; i++)
            {
                writer.Write(drafts[i]);
                if (i % 4096 == 4095) await writer.CommitAsync(default);
            }
            await writer.CommitAsync(default);
        }
        Console.WriteLine($"store writes: {rows / sw.Elapsed.TotalSeconds:N0} rows/s");
        _ = PhoneNormalizer.Normalize("+447400123456", null);
        return 0;
    }
}
