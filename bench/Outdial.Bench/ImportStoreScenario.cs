using System.Diagnostics;
using System.Globalization;
using Outdial.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Phones;
using Outdial.Engine.Records;

namespace Outdial.Bench;

/// <summary>Splits the import cost: normalization alone, then store writes alone, on the same rows.</summary>
/// <remarks>Each stage prints wall rate, process CPU per row (all threads, GC included) and bytes allocated per row: on a
/// shared 2-core machine the CPU and allocation figures move far less between runs than the wall rate.</remarks>
internal static class ImportStoreScenario
{
    private sealed class Stage(string name, long rows)
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly TimeSpan _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        private readonly long _bytes = GC.GetTotalAllocatedBytes(precise: true);
        private readonly int _gen0 = GC.CollectionCount(0);

        public void Done(string detail = "", long? actualRows = null)
        {
            var n = actualRows ?? rows;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpu;
            var bytes = GC.GetTotalAllocatedBytes(precise: true) - _bytes;
            Console.WriteLine(FormattableString.Invariant(
                $"{name}: {n / _wall.Elapsed.TotalSeconds:N0} rows/s, CPU {cpu.TotalMicroseconds / n:N2} µs/row, {bytes / n:N0} B/row allocated, {GC.CollectionCount(0) - _gen0} gen0 GCs {detail}"));
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        var dir = Path.Combine(Path.GetTempPath(), "outdial-bench-store");
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        await using var store = new SqliteStore(Path.Combine(dir, "outdial.db"), TimeProvider.System);
        await store.MigrateAsync(default);
        var tenant = await store.EnsureTenantAsync("bench", default);
        var campaign = await store.CreateCampaignAsync(tenant, new Campaign { Id = Id32.New(), Name = "c", Registered = DateTimeOffset.UtcNow, Modified = DateTimeOffset.UtcNow }, default);

        var stage = new Stage("validate+normalize (one core)", rows);
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
        stage.Done();

        var csv = Path.Combine(Path.GetTempPath(), "outdial-bench-import", "records.csv");
        if (File.Exists(csv))
        {
            stage = new Stage("structure check with the parser, fields read (CheckCsv)", 0);
            var checkedRows = Outdial.Server.Features.Imports.RowSources.CheckCsv(csv);
            stage.Done("", checkedRows);

            var bytes = await File.ReadAllBytesAsync(csv);
            stage = new Stage("structure check on the upload's bytes (CsvShape, 64 KB chunks)", 0);
            var shape = new Outdial.Server.Features.Imports.CsvShape();
            for (var i = 0; i < bytes.Length; i += 1 << 16) shape.Feed(bytes.AsSpan(i, Math.Min(1 << 16, bytes.Length - i)));
            shape.Complete();
            stage.Done(FormattableString.Invariant($"({bytes.Length / 1e6:N0} MB, fine: {shape.Fine})"), shape.Rows);

            stage = new Stage("csv read + map (one core)", rows);
            long mapped = 0;
            foreach (var row in Outdial.Server.Features.Imports.RowSources.Read(csv, "csv", null, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)))
                if (++mapped >= rows) break;
            stage.Done("", mapped);

            stage = new Stage("csv read + map + validate + encode (one core)", rows);
            long n = 0, valid = 0;
            var json = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
            foreach (var row in Outdial.Server.Features.Imports.RowSources.Read(csv, "csv", null, json))
            {
                if (++n > rows) break;
                if (row.Fields is not null && RecordValidation.Build(row.Fields, "GB", out _) is { } d) { d.Encode(); valid++; }
            }
            stage.Done($"({valid} valid)", n);

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
            var runner = new Outdial.Engine.Operations.Imports.ImportRunner(store, new Outdial.Server.Features.Imports.ImportRows(
                Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Http.Json.JsonOptions())));
            stage = new Stage("import runner, whole file (read+normalize || write)", 0);
            var live = new Outdial.Engine.Operations.Imports.LiveProgress();
            await runner.RunAsync(job, new Outdial.Engine.Operations.Imports.ImportSettings(), "GB", live, collectResults: false, default);
            stage.Done($"({live.Snapshot().RowsCreated} created)", live.Snapshot().RowsDone);
        }

        stage = new Stage("encode json", rows);
        long total = 0;
        foreach (var d in drafts)
        {
            total += d.Encode().PhonesUtf8.Length + d.AttributesUtf8.Length;
        }
        stage.Done($"({total} bytes)");

        stage = new Stage("store writes (one core)", rows);
        await using (var writer = (await store.BeginRecordWriteAsync(tenant, campaign.DefaultListId!, DuplicatePolicy.reject, null, default))!)
        {
            for (var i = 0; i < rows; i++)
            {
                writer.Write(drafts[i]);
                if (i % 4096 == 4095) await writer.CommitAsync(default);
            }
            await writer.CommitAsync(default);
        }
        stage.Done();
        _ = PhoneNormalizer.Normalize("+447400123456", null);
        return 0;
    }
}
