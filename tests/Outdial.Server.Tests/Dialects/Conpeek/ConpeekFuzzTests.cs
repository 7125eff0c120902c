using static Outdial.Server.Tests.Dialects.Conpeek.ConpeekTestKit;

namespace Outdial.Server.Tests.Dialects.Conpeek;

/// <summary>
/// Random query parameters, filters and POST bodies on /voice_campaign/{id}/request: every answer is below 500, and every
/// refusal is in the dialect's shape. Deterministic (seeded); a failure names the input.
/// </summary>
public sealed class ConpeekFuzzTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static readonly string[] Properties =
    [
        "created_date", "closed_date", "process_not_before", "state", "application_state", "contact_number", "dialing_method",
        "tenant_user_id", "assigned_tenant_user_id", "close_reason", "custom_fields", "priority", "consultant_try", "contact_try", "nope", "",
    ];

    private static readonly string[] Operators = ["gt", "gte", "lte", "lt", "eq", "ne", "like", "", "GTE"];

    private static readonly string[] Values =
    [
        "1", "-1", "0", "9223372036854775807", "9223372036854775808", "1.5", "1e3", "\"OPEN\"", "\"closed\"", "\"2021-08-10 00:00:00\"",
        "\"2021-02-30 00:00:00\"", "\"9999-12-31 23:59:59\"", "\"0001-01-01 00:00:00\"", "\"\"", "null", "true", "[]", "[1, \"a\"]",
        "[\"NEW\", \"RETRY\"]", "{}", "{\"a\": 1}", "\"%_*?\\\\'\"", "\"" + new string('9', 300) + "\"", "[[1]]", "\"+48123123123\"",
    ];

    private static readonly string[] Raw = ["", "[", "]", "{", "null", "[null]", "[{}]", "\"x\"", "1", "[{\"property\": 1, \"value\": 1}]", "\u0000", "%ZZ"];

    [Fact]
    public async Task No_query_or_body_yields_a_5xx()
    {
        await CreateDocumentCampaignAsync(_factory);
        var client = Admin(_factory);
        await Create(client, DocumentCampaign, new { contact_number = "+48123123123", custom = new { city = "Kraków" } });
        var random = new Random(21);
        for (var i = 0; i < 300; i++)
        {
            var query = new List<string>();
            if (random.Next(3) > 0) query.Add("filter=" + Uri.EscapeDataString(random.Next(6) == 0 ? Pick(random, Raw) : Filter(random)));
            if (random.Next(3) == 0) query.Add("limit=" + Uri.EscapeDataString(Pick(random, ["1", "0", "1000", "10000", "10001", "-5", "x", "1e3", "99999999999"])));
            if (random.Next(3) == 0) query.Add("offset=" + Uri.EscapeDataString(Pick(random, ["0", "1", "-1", "2147483647", "2147483648", "x"])));
            if (random.Next(3) == 0) query.Add("exclude=" + Uri.EscapeDataString(Pick(random, ["[\"history\"]", "[\"dialogs\", \"call_history\"]", "history", "[1]", "[", "{}", "\"history\""])));
            var url = Url(random.Next(8) == 0 ? Pick(random, ["x", "5B7C389FE8DF7B60AF688989", "%20", "5b7c389fe8df7b60af68898", new string('f', 24)]) : DocumentCampaign, "?" + string.Join('&', query));
            await Check(await client.GetAsync(url), url);
        }
        for (var i = 0; i < 150; i++)
        {
            var body = Body(random);
            var response = await client.PostAsync(Url(DocumentCampaign), new StringContent(body, Encoding.UTF8, "application/json"));
            await Check(response, body);
        }
    }

    private static async Task Check(HttpResponseMessage response, string input)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {input}: {text}");
        if ((int)response.StatusCode >= 400) await Error(response, response.StatusCode);
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];

    private static string Filter(Random random)
    {
        var items = Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
        {
            var members = new List<string> { $"\"property\": \"{Pick(random, Properties)}\"", $"\"value\": {Pick(random, Values)}" };
            if (random.Next(2) == 0) members.Add($"\"operator\": \"{Pick(random, Operators)}\"");
            if (random.Next(3) == 0) members.Add($"\"key\": {Pick(random, ["\"city\"", "\"\"", "1", "null"])}");
            return "{" + string.Join(", ", members.OrderBy(_ => random.Next())) + "}";
        });
        return "[" + string.Join(", ", items) + "]";
    }

    private static string Body(Random random)
    {
        if (random.Next(8) == 0) return Pick(random, Raw);
        string[] fields = ["name", "contact_number", "contact_identifier", "note", "custom", "priority", "process_not_before", "state", "id"];
        string[] values = [.. Values, "\"+48600" + random.Next(100000, 999999) + "\"", "{\"city\": \"Łódź\"}", "\"{\\\"a\\\": 1}\"", "{\"name\": 1}"];
        var members = fields.Where(_ => random.Next(2) == 0).Select(f => $"\"{f}\": {Pick(random, values)}");
        var data = "{" + string.Join(", ", members) + "}";
        return random.Next(6) == 0 ? data : "{\"data\": " + data + "}";
    }
}
