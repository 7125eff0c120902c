using System.Globalization;

namespace Outdial.Server.Tests.Features.Imports;

public sealed class ImportCorrectnessTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static StringContent Csv(string text) => new(text, new UTF8Encoding(false), "text/csv");

    private async Task<Dictionary<string, JsonElement>> AllRecords(HttpClient client, string campaignId)
    {
        var all = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await Fixtures.Get(client, $"/api/v1/campaigns/{campaignId}/records?limit=1000" + (cursor is null ? "" : $"&cursor={cursor}"));
            foreach (var r in page.GetProperty("items").EnumerateArray()) all.Add(r.GetProperty("externalId").GetString()!, r.Clone());
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        } while (cursor is not null);
        return all;
    }

    [Theory]
    [InlineData("reject", false)]
    [InlineData("skip", false)]
    [InlineData("overwrite", false)]
    [InlineData("reject", true)]
    [InlineData("overwrite", true)]
    public async Task Generated_file_lands_exactly_as_libphonenumber_says(string policy, bool background)
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var generator = new ImportFileGenerator();
        var csv = generator.Generate(1500, seed: policy.Length + (background ? 100 : 0));
        var url = $"/api/v1/campaigns/{campaignId}/imports?duplicates={policy}&mapping={Uri.EscapeDataString("{\"Customer no\":\"externalId\"}")}"
                  + (background ? "&async=true" : "");
        var response = await client.PostAsync(url, Csv(csv));

        JsonElement job;
        JsonElement[]? results = null;
        if (background)
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var location = response.Headers.Location!.ToString();
            job = await WaitForJob(client, location);
        }
        else
        {
            var body = await HttpAssert.Ok<JsonElement>(response);
            job = body.GetProperty("job");
            results = body.GetProperty("results").EnumerateArray().ToArray();
        }
        Assert.Equal("succeeded", job.GetProperty("state").GetString());

        // The expected final state, row by row, under the policy.
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        int created = 0, updated = 0, skipped = 0, failed = 0;
        for (var i = 0; i < generator.Rows.Count; i++)
        {
            var row = generator.Rows[i];
            var exists = expected.ContainsKey(row.ExternalId);
            int status;
            if (row.ExpectedE164 is null) { failed++; status = 400; }
            else if (!exists) { created++; expected[row.ExternalId] = row.ExpectedE164; status = 201; }
            else if (policy == "skip") { skipped++; status = 200; }
            else if (policy == "overwrite") { updated++; expected[row.ExternalId] = row.ExpectedE164; status = 200; }
            else { failed++; status = 409; }
            if (results is not null) Assert.True(status == results[i].GetProperty("statusCode").GetInt32(), $"row {i + 1} ('{row.Raw}', {row.Country}): {results[i]}");
        }
        Assert.True(failed > 20 && created > 1000, "the generator must produce both failures and successes");
        Assert.Equal(generator.Rows.Count, job.GetProperty("rowsDone").GetInt64());
        Assert.Equal(created, job.GetProperty("rowsCreated").GetInt64());
        Assert.Equal(updated, job.GetProperty("rowsUpdated").GetInt64());
        Assert.Equal(skipped, job.GetProperty("rowsSkipped").GetInt64());
        Assert.Equal(failed, job.GetProperty("rowsFailed").GetInt64());
        Assert.Equal(created + updated + skipped + failed, generator.Rows.Count);

        var stored = await AllRecords(client, campaignId);
        Assert.Equal(expected.Count, stored.Count);
        foreach (var (externalId, e164) in expected)
            Assert.Equal(e164, stored[externalId].GetProperty("numbers").GetString());

        // Non-Latin names, quoted delimiters, quotes and newlines survive.
        var sample = generator.Rows.First(r => r.ExpectedE164 is not null && !r.IsDuplicate && expected[r.ExternalId] == r.ExpectedE164);
        var attributes = stored[sample.ExternalId].GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("value").GetString());
        Assert.Equal(sample.Name, attributes["Name"]);
        Assert.EndsWith("; \"Quarter\"", attributes["City"], StringComparison.Ordinal);

        // Every failed row is in the report with its reason.
        var report = await (await client.GetAsync($"/api/v1/imports/{job.GetProperty("id").GetString()}/failures")).Content.ReadAsStringAsync();
        Assert.Equal(failed, CountReportRows(report));
    }

    private static int CountReportRows(string report)
    {
        using var reader = new StringReader(report);
        using var parser = new CsvHelper.CsvParser(reader, System.Globalization.CultureInfo.InvariantCulture);
        var rows = 0;
        parser.Read();
        while (parser.Read()) rows++;
        return rows;
    }

    internal static async Task<JsonElement> WaitForJob(HttpClient client, string location)
    {
        // Polls the job's own status; the background worker runs on the server's threads, not on a timer.
        for (var i = 0; i < 600; i++)
        {
            var status = await Fixtures.Get(client, location);
            if (status.GetProperty("state").GetString() is "succeeded" or "failed") return status;
            await Task.Yield();
            await Task.Delay(20);
        }
        throw new TimeoutException("import job did not finish");
    }

    [Fact]
    public async Task Atomic_import_with_one_bad_row_writes_nothing()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var csv = "externalId,phone1\nA,+447400123456\nB,+44 12\nC,+12125550100\n";
        var body = await HttpAssert.Ok<JsonElement>(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports?atomic=true", Csv(csv)));
        Assert.Equal("failed", body.GetProperty("job").GetProperty("state").GetString());
        Assert.Equal([200, 400, 200], body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("statusCode").GetInt32()));
        Assert.Empty(await AllRecords(client, campaignId));
    }

    [Fact]
    public async Task Idempotency_key_makes_a_retry_create_nothing_twice()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var csv = "phone1,Name\n+447400123456,A\n+12125550100,B\n";
        async Task<HttpResponseMessage> Post(string body, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/campaigns/{campaignId}/imports") { Content = Csv(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }
        var first = await (await Post(csv, "key-1")).Content.ReadAsStringAsync();
        var second = await Post(csv, "key-1");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(first, await second.Content.ReadAsStringAsync());
        Assert.Equal(2, (await AllRecords(client, campaignId)).Count); // externalIds are generated: only the key prevents duplicates
        await HttpAssert.Problem(await Post(csv + "+4930901820,C\n", "key-1"), HttpStatusCode.UnprocessableEntity, "different request");
        Assert.Equal(2, (await AllRecords(client, campaignId)).Count);
    }

    [Fact]
    public async Task Json_import_reports_rows_with_wrong_types()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var json = """[{"externalId":"1","phones":["+447400123456"]},{"externalId":"2","phones":"+12125550100","priority":"high"},{"externalId":"3","numbers":"+4930901820;+447400123457"}]""";
        var body = await HttpAssert.Ok<JsonElement>(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports", new StringContent(json, Encoding.UTF8, "application/json")));
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([201, 400, 201], results.Select(r => r.GetProperty("statusCode").GetInt32()));
        Assert.Contains("$.phones", results[1].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/csv", "externalId,phone1\nA,\"+447400123456\nB,+12125550100\n", "CSV")]
    [InlineData("text/csv", "externalId,phone1\nA,+447400\"123\"456\n", "quote")]
    [InlineData("text/csv", "", "empty")]
    [InlineData("application/json", "[{\"phones\":[\"+447400123456\"]},", "malformed JSON")]
    [InlineData("application/json", "{\"phones\":[]}", "array")]
    [InlineData("text/csv", "externalId,Name\nA,B\n", "phone numbers")]
    [InlineData("application/json", "[{\"phones\":[\"+447400123456\"]}]", "CSV imports only", "?mapping={\"Mobile\":\"phone1\"}")]
    public async Task Malformed_files_are_400_and_the_store_is_unchanged(string contentType, string body, string expected, string query = "")
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        await HttpAssert.Problem(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports{query}", new StringContent(body, Encoding.UTF8, contentType)),
            HttpStatusCode.BadRequest, expected);
        Assert.Empty(await AllRecords(client, campaignId));
        var spool = Path.Combine(_factory.DataDir, "imports"); // absent when the request was refused before spooling
        Assert.True(!Directory.Exists(spool) || Directory.GetFiles(spool).Length == 0);
    }

    [Fact]
    public async Task A_bad_quote_deep_in_a_background_import_is_400_and_nothing_lands()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var csv = new StringBuilder("externalId,phone1,Name\n");
        for (var i = 0; i < 5000; i++)
            csv.Append(CultureInfo.InvariantCulture, $"E{i},+4474001{i:D5},{(i == 3999 ? "O\"Brien" : "Smith")}\n");
        // Before the upload-time check read the fields, only the job's reader found this quote: after landing 3,999 rows.
        await HttpAssert.Problem(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports?async=true", Csv(csv.ToString())),
            HttpStatusCode.BadRequest, "CSV is malformed at row 4000");
        Assert.Empty(await AllRecords(client, campaignId));
    }

    [Fact]
    public async Task A_header_row_without_a_line_break_is_400_without_reading_it_whole()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        var header = "externalId,phone1" + string.Concat(Enumerable.Range(0, 120_000).Select(i => $",column{i}"));
        await HttpAssert.Problem(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports", Csv(header)),
            HttpStatusCode.BadRequest, "header row is longer than 1 MB");
        Assert.Empty(Directory.GetFiles(Path.Combine(_factory.DataDir, "imports")));
    }

    [Fact]
    public async Task A_structure_error_early_in_a_large_upload_is_400_before_the_rest_is_sent()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        // Row 2 is too wide; the body then goes on with valid rows and fails the request if the server reads far past
        // the error (more than the check's 4 MB pipe can hold): the check runs while the upload arrives, not after it.
        using var streaming = _factory.CreateClient(new() { AllowAutoRedirect = false }); // the redirect handler buffers bodies
        streaming.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        var body = new EndlessCsv("externalId,phone1\nA,+447400123456\nB,+447400123457,extra\n"u8.ToArray(), failAfterBytes: 16 << 20);
        var content = new StreamContent(body, 1 << 16);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        await HttpAssert.Problem(await streaming.PostAsync($"/api/v1/campaigns/{campaignId}/imports?async=true", content),
            HttpStatusCode.BadRequest, "CSV row 2 has 3 fields but the header has 2");
        Assert.True(body.Position < 16 << 20);
        Assert.Empty(await AllRecords(client, campaignId));
        Assert.Empty(Directory.GetFiles(Path.Combine(_factory.DataDir, "imports")));
    }

    /// <summary>A CSV body that never ends: its head, then valid rows; reading past a limit fails like a broken connection.</summary>
    private sealed class EndlessCsv(byte[] head, long failAfterBytes) : Stream
    {
        private static readonly byte[] Row = "X,+447400123458\n"u8.ToArray();
        private long _position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfterBytes) throw new IOException("the test body was read far past its structure error");
            for (var i = 0; i < count; i++, _position++)
                buffer[offset + i] = _position < head.Length ? head[_position] : Row[(_position - head.Length) % Row.Length];
            return count;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData("duplicates=maybe", "duplicates")]
    [InlineData("duplicates=1", "duplicates")]
    [InlineData("duplicates=-1", "duplicates")]
    [InlineData("atomic=perhaps", "atomic")]
    [InlineData("async=yes", "async")]
    [InlineData("region=XX", "region")]
    [InlineData("mapping=notjson", "mapping")]
    [InlineData("mapping=%7B%22Nope%22%3A%22phone1%22%7D", "Nope")]
    [InlineData("mapping=%7B%22phone1%22%3A%22shoe%22%7D", "unknown target")]
    public async Task Bad_import_options_are_400(string query, string expected)
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        await HttpAssert.Problem(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports?{query}", Csv("phone1\n+447400123456\n")),
            HttpStatusCode.BadRequest, expected);
        Assert.Empty(await AllRecords(client, campaignId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?async=true")]
    public async Task A_json_array_left_open_is_400_before_anything_is_written(string query)
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        const string rows = "{\"externalId\":\"J1\",\"phones\":[\"+447400123456\"]},{\"externalId\":\"J2\",\"phones\":[\"+447400123457\"]}";
        HttpRequestMessage Request(string body) => new(HttpMethod.Post, $"/api/v1/campaigns/{campaignId}/imports{query}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", "open-array" } },
        };
        foreach (var open in new[] { "[" + rows, "[" + rows + ",", "[{\"externalId\":\"J1\",\"phones\":[\"+447400123456\"]" })
            await HttpAssert.Problem(await client.SendAsync(Request(open)), HttpStatusCode.BadRequest, "malformed JSON");
        Assert.Empty(await AllRecords(client, campaignId));
        // No job was kept under the key either: the complete file is a new request, not "the key was used for another".
        var done = await client.SendAsync(Request("[" + rows + "]"));
        Assert.True(done.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{(int)done.StatusCode}: {await done.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("?async=true")]
    public async Task A_csv_without_a_phone_column_is_400_before_a_job_exists(string query)
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        HttpRequestMessage Request(string csv) => new(HttpMethod.Post, $"/api/v1/campaigns/{campaignId}/imports{query}")
        {
            Content = Csv(csv),
            Headers = { { "Idempotency-Key", "no-phones" } },
        };
        await HttpAssert.Problem(await client.SendAsync(Request("customer,city\nC1,Leeds\n")), HttpStatusCode.BadRequest, "no column holds phone numbers");
        // No job was kept under the key: the corrected file is a new request.
        var done = await client.SendAsync(Request("customer,phone1\nC1,+447400123456\n"));
        Assert.True(done.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{(int)done.StatusCode}: {await done.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_json_row_that_repeats_a_field_fails_alone()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        const string body = "[{\"externalId\":\"J1\",\"phones\":[\"+447400123456\"]},{\"externalId\":\"J2\",\"externalId\":\"J3\",\"phones\":[\"+447400123457\"]}]";
        var import = await HttpAssert.Ok<JsonElement>(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports", new StringContent(body, Encoding.UTF8, "application/json")));
        var results = import.GetProperty("results");
        Assert.Equal(201, results[0].GetProperty("statusCode").GetInt32());
        Assert.Equal(400, results[1].GetProperty("statusCode").GetInt32());
        Assert.Contains("externalId", results[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(["J1"], (await AllRecords(client, campaignId)).Keys);
    }

    [Fact]
    public async Task Unsupported_content_type_is_415()
    {
        var client = _factory.Admin();
        var (campaignId, _) = await Fixtures.Campaign(client);
        await HttpAssert.Problem(await client.PostAsync($"/api/v1/campaigns/{campaignId}/imports", new StringContent("x", Encoding.UTF8, "application/pdf")),
            HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }
}
