using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;

namespace Outdial.Server.Tests.Crash;

/// <summary>
/// kill -9 of the server in the middle of a large import, then a restart: the store is consistent, the job resumes from its
/// last checkpoint, and re-posting with the same Idempotency-Key creates nothing twice.
/// Rows: 100,000 in CI; <c>OUTDIAL_CRASH_ROWS=1000000 dotnet test --filter Kill9</c> (or tests/crash/kill9-import.sh) for the full size.
/// </summary>
public sealed class Kill9ImportTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "outdial-kill9", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Killed_import_resumes_and_a_retry_creates_no_duplicates()
    {
        var rows = int.Parse(Environment.GetEnvironmentVariable("OUTDIAL_CRASH_ROWS") ?? "100000", CultureInfo.InvariantCulture);
        var dataDir = Path.Combine(_dir, "data");
        var csv = Path.Combine(_dir, "records.csv");
        Directory.CreateDirectory(_dir);
        await using (var writer = new StreamWriter(csv, false, new UTF8Encoding(false)))
        {
            await writer.WriteAsync("externalId,phone1,Name\n");
            for (var i = 0; i < rows; i++)
                await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"E{i},+447400{i:D6},Name {i}\n"));
        }

        string campaignId, location;
        using (var server = await ServerProcess.StartAsync(dataDir, "crash-key"))
        {
            var campaign = await (await server.Client.PostAsJsonAsync("/api/v1/campaigns", new { name = "crash" })).Content.ReadFromJsonAsync<JsonElement>();
            campaignId = campaign.GetProperty("id").GetString()!;
            var response = await Post(server.Client, campaignId, csv);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            location = response.Headers.Location!.ToString();
            // Kill once a good part, but not all, has landed.
            while (true)
            {
                var status = await server.Client.GetFromJsonAsync<JsonElement>(location);
                var done = status.GetProperty("rowsDone").GetInt64();
                Assert.NotEqual("succeeded", status.GetProperty("state").GetString());
                if (done >= rows / 4) break;
                await Task.Delay(20);
            }
            server.Kill();
        }

        var committed = Count(dataDir, "SELECT count(*) FROM records");
        Assert.InRange(committed, 1, rows - 1);
        Assert.Equal("ok", Scalar(dataDir, "PRAGMA integrity_check"));

        using (var server = await ServerProcess.StartAsync(dataDir, "crash-key"))
        {
            JsonElement status;
            do
            {
                await Task.Delay(50);
                status = await server.Client.GetFromJsonAsync<JsonElement>(location);
            } while (status.GetProperty("state").GetString() is "queued" or "running");
            Assert.Equal("succeeded", status.GetProperty("state").GetString());
            Assert.Equal(rows, status.GetProperty("rowsCreated").GetInt64());
            Assert.Equal(0, status.GetProperty("rowsFailed").GetInt64());

            // The client never saw an answer it trusted, so it retries with the same key: same job, nothing new.
            var retry = await Post(server.Client, campaignId, csv);
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
            Assert.Equal(location, retry.Headers.Location!.ToString());
        }

        Assert.Equal(rows, Count(dataDir, "SELECT count(*) FROM records"));
        Assert.Equal(rows, Count(dataDir, "SELECT count(DISTINCT external_id) FROM records"));
        Assert.Equal(rows, Count(dataDir, "SELECT count(*) FROM campaign_records"));
        Assert.Equal("ok", Scalar(dataDir, "PRAGMA integrity_check"));
    }

    [Fact]
    public async Task Graceful_stop_commits_the_batch_in_hand_and_the_job_resumes()
    {
        const int rows = 200_000;
        var dataDir = Path.Combine(_dir, "data");
        var csv = Path.Combine(_dir, "records.csv");
        Directory.CreateDirectory(_dir);
        await File.WriteAllLinesAsync(csv, ["externalId,phone1"]);
        await File.AppendAllLinesAsync(csv, Enumerable.Range(0, rows).Select(i => string.Create(CultureInfo.InvariantCulture, $"G{i},+447400{i:D6}")));

        string location;
        using (var server = await ServerProcess.StartAsync(dataDir, "stop-key"))
        {
            var campaign = await (await server.Client.PostAsJsonAsync("/api/v1/campaigns", new { name = "stop" })).Content.ReadFromJsonAsync<JsonElement>();
            var response = await Post(server.Client, campaign.GetProperty("id").GetString()!, csv);
            location = response.Headers.Location!.ToString();
            while ((await server.Client.GetFromJsonAsync<JsonElement>(location)).GetProperty("rowsDone").GetInt64() == 0)
                await Task.Delay(10);
            Assert.True(await server.StopGracefullyAsync(TimeSpan.FromSeconds(30)), "the server did not stop within 30 s");
        }
        // Stopped mid-import, and rows and the job's checkpoint were committed together: they agree exactly.
        Assert.InRange(Count(dataDir, "SELECT rows_done FROM import_jobs"), 1, rows - 1);
        Assert.Equal("running", Scalar(dataDir, "SELECT state FROM import_jobs"));
        Assert.Equal(Count(dataDir, "SELECT rows_done FROM import_jobs"), Count(dataDir, "SELECT count(*) FROM records"));

        using (var server = await ServerProcess.StartAsync(dataDir, "stop-key"))
        {
            JsonElement status;
            do
            {
                await Task.Delay(50);
                status = await server.Client.GetFromJsonAsync<JsonElement>(location);
            } while (status.GetProperty("state").GetString() is "queued" or "running");
            Assert.Equal(rows, status.GetProperty("rowsCreated").GetInt64());
        }
        Assert.Equal(rows, Count(dataDir, "SELECT count(DISTINCT external_id) FROM records"));
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string campaignId, string csv)
    {
        await using var file = File.OpenRead(csv);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/campaigns/{campaignId}/imports?async=true") { Content = new StreamContent(file) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        request.Headers.Add("Idempotency-Key", "crash-import-1");
        return await client.SendAsync(request);
    }

    private static long Count(string dataDir, string sql) => Convert.ToInt64(Scalar(dataDir, sql), CultureInfo.InvariantCulture);

    private static object Scalar(string dataDir, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "outdial.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()!;
    }
}
