using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Outdial.Server.Cli;

/// <summary><c>outdial import FILE</c>: uploads a CSV or JSON file to a running server as a background job and shows its progress.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV (.csv) or JSON array (.json) of records" };
        var server = new Option<string>("--server") { Description = "Server address", DefaultValueFactory = _ => "http://localhost:8080" };
        var key = new Option<string?>("--key") { Description = "API key (default: $OUTDIAL_KEY)" };
        var campaign = new Option<string?>("--campaign") { Description = "Campaign id: records go to its default list" };
        var list = new Option<string?>("--list") { Description = "Calling list id" };
        var duplicates = new Option<string>("--duplicates") { Description = "reject, skip or overwrite", DefaultValueFactory = _ => "reject" };
        var atomic = new Option<bool>("--atomic") { Description = "All or nothing: no row lands if any row fails" };
        var region = new Option<string?>("--region") { Description = "Region for nationally written numbers (ISO 3166, e.g. GB)" };
        var mapping = new Option<string?>("--mapping") { Description = "JSON of CSV header to target, e.g. {\"Mobile\":\"phone1\"}" };
        var idempotency = new Option<string?>("--idempotency-key") { Description = "Default: derived from the file, so re-running the same import adds nothing" };
        var command = new Command("import", "Import a CSV or JSON file of records into a list or campaign")
        {
            file, server, key, campaign, list, duplicates, atomic, region, mapping, idempotency,
        };
        command.SetAction(async (parse, ct) =>
        {
            var apiKey = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("OUTDIAL_KEY");
            var target = parse.GetValue(campaign) is { } c ? $"campaigns/{c}" : parse.GetValue(list) is { } l ? $"lists/{l}" : null;
            var path = parse.GetValue(file)!;
            if (apiKey is null || target is null || !path.Exists)
            {
                Console.Error.WriteLine(apiKey is null ? "give --key or set OUTDIAL_KEY" : target is null ? "give --campaign or --list" : $"no file {path.FullName}");
                return 2;
            }
            var query = new StringBuilder($"/api/v1/{target}/imports?async=true&duplicates={Uri.EscapeDataString(parse.GetValue(duplicates)!)}");
            if (parse.GetValue(atomic)) query.Append("&atomic=true");
            if (parse.GetValue(region) is { } r) query.Append("&region=").Append(Uri.EscapeDataString(r));
            if (parse.GetValue(mapping) is { } m) query.Append("&mapping=").Append(Uri.EscapeDataString(m));
            return await RunAsync(new Uri(parse.GetValue(server)!), apiKey, query.ToString(), path, parse.GetValue(idempotency) ?? DefaultKey(path), ct);
        });
        return command;
    }

    private static string DefaultKey(FileInfo file) =>
        "file-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc:O}")))[..32];

    private static async Task<int> RunAsync(Uri server, string key, string url, FileInfo path, string idempotencyKey, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        JsonElement status = default;
        var exit = 0;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var upload = progress.AddTask("upload", maxValue: path.Length);
                HttpResponseMessage response;
                await using (var stream = new ProgressStream(path.OpenRead(), n => upload.Increment(n)))
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StreamContent(stream, 1 << 16) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue(path.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase) ? "application/json" : "text/csv");
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                    response = await client.SendAsync(request, ct);
                }
                upload.Value = upload.MaxValue;
                if (!response.IsSuccessStatusCode)
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]{(int)response.StatusCode}[/] {await response.Content.ReadAsStringAsync(ct)}");
                    exit = 1;
                    return;
                }
                var location = response.Headers.Location?.ToString() ?? throw new InvalidOperationException("no job location");
                status = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                var rows = progress.AddTask("import", maxValue: Math.Max(1, status.GetProperty("rowsTotal").GetInt64()));
                while (status.GetProperty("state").GetString() is "queued" or "running")
                {
                    await Task.Delay(250, ct);
                    status = await client.GetFromJsonAsync<JsonElement>(location, ct);
                    rows.Value = status.GetProperty("rowsDone").GetInt64();
                }
                rows.Value = rows.MaxValue;
            });
        if (exit != 0) return exit;
        AnsiConsole.MarkupLineInterpolated(
            $"[bold]{status.GetProperty("state").GetString()}[/]: {status.GetProperty("rowsCreated")} created, {status.GetProperty("rowsUpdated")} updated, {status.GetProperty("rowsSkipped")} skipped, {status.GetProperty("rowsFailed")} failed");
        if (status.GetProperty("rowsFailed").GetInt64() > 0)
            AnsiConsole.MarkupLineInterpolated($"failed rows: {new Uri(server, status.GetProperty("failuresUrl").GetString())}");
        return status.GetProperty("state").GetString() == "succeeded" ? 0 : 1;
    }

    /// <summary>Reports bytes as the HTTP client reads the file, for the upload bar.</summary>
    private sealed class ProgressStream(Stream inner, Action<long> onRead) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Report(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Report(await inner.ReadAsync(buffer, cancellationToken));
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Report(int n)
        {
            onRead(n);
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
