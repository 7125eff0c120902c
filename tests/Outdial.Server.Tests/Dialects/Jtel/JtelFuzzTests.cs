using static Outdial.Server.Tests.Dialects.Jtel.JtelTestKit;

namespace Outdial.Server.Tests.Dialects.Jtel;

/// <summary>No input to any contact function yields a 5xx: odd path ids, query values and bodies, each answered in the
/// dialect's shape.</summary>
public sealed class JtelFuzzTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private static readonly string[] Values =
    [
        "", " ", "0", "-1", "1", "9223372036854775807", "9223372036854775808", "1e3", "1.5", "abc", "%2F", "*", "?", "a*b?c",
        "%E2%82%AC", "null", "true", "%22", "%5B%5D", new string('9', 40), new string('*', 30), new string('x', 300),
    ];

    private static readonly string[] JsonValues =
    [
        "null", "true", "0", "-1", "1.5", "1e400", "9223372036854775808", "\"\"", "\"x\"", "\"2020-13-45T99:00:00\"", "[]", "{}",
        "[1,2]", "{\"a\":1}", "\"" + new string('x', 5000) + "\"", "\"+4930123456\"", "\"*\"",
    ];

    private static readonly string[] Bodies = ["", "{", "[]", "null", "1", "\"x\"", "{\"ID\":}", "{}", "{\"ID\": 1, \"ID\": 2}"];

    private static readonly string[] Fields =
    [
        "ID", "DiallerCampaignsID", "DiallerCampaignsName", "UserData", "Name", "PhoneNumber1", "PhoneNumber6", "RandomSortOrder",
        "Amount", "dtBeginDate", "FollowUpDateTime", "City", "bLocked", "nTriesPhoneNumber1", "Unknown", "PhoneNumber7", "",
    ];

    [Fact]
    public async Task No_input_to_any_function_is_a_server_error()
    {
        var campaign = await CampaignAsync(_factory, "fuzz");
        var admin = _factory.Admin();
        var valid = $$"""{"DiallerCampaignsID": {{campaign}}, "UserData": "u", "Name": "N", "PhoneNumber1": "+4930123456"}""";
        var id = Assert.Single(await RecordsAsync(admin, HttpMethod.Post, "/dialler/contacts/import", valid)).GetProperty("ID").GetInt64();
        var random = new Random(21);

        foreach (var b in Bases.Append("/rest/v1.0/%20/dialler").Append("/rest/v1.0/1/dialler"))
        {
            foreach (var v in Values)
            {
                await SendAsync(admin, HttpMethod.Get, $"{b}/contacts?diallerCampaignsID={v}&limitStart={v}&limitPageSize={v}");
                await SendAsync(admin, HttpMethod.Get, $"{b}/contacts/{v}");
                await SendAsync(admin, HttpMethod.Get, $"{b}/contacts/contact?userData={v}");
                await SendAsync(admin, HttpMethod.Get, $"{b}/contacts/contact/{v}/history");
                await SendAsync(admin, HttpMethod.Get, $"{b}/contacts/contact/history?userData={v}");
                foreach (var action in new[] { "lock", "unlock", "reset", v })
                {
                    await SendAsync(admin, HttpMethod.Post, $"{b}/contacts/contact/{v}/{action}");
                    await SendAsync(admin, HttpMethod.Post, $"{b}/contacts/contact/{action}?userData={v}");
                }
                await SendAsync(admin, HttpMethod.Post, $"{b}/contacts/import?overwriteDuplicates={v}", valid);
                await SendAsync(admin, HttpMethod.Delete, $"{b}/contacts/contact?userData={v}x");
            }
        }

        // Bodies: malformed ones, then the valid bodies with one or two fields set to odd values.
        foreach (var body in Bodies)
        {
            await SendAsync(admin, HttpMethod.Post, "/dialler/contacts/import", body);
            await SendAsync(admin, HttpMethod.Put, "/dialler/contacts/contact", body);
        }
        var update = $$"""{"ID": {{id}}, "Name": "N"}""";
        for (var i = 0; i < 300; i++)
        {
            var import = JsonDocument.Parse(valid).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
            var change = JsonDocument.Parse(update).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText());
            for (var k = 0; k < 1 + (i % 2); k++)
            {
                var field = Fields[random.Next(Fields.Length)];
                var value = JsonValues[random.Next(JsonValues.Length)];
                import[field] = value;
                change[field] = value;
            }
            static string Json(Dictionary<string, string> o) => "{" + string.Join(',', o.Select(p => JsonSerializer.Serialize(p.Key) + ":" + p.Value)) + "}";
            await SendAsync(admin, HttpMethod.Post, $"/dialler/contacts/import?overwriteDuplicates={(i % 3 == 0 ? "true" : "false")}", Json(import));
            await SendAsync(admin, HttpMethod.Put, "/dialler/contacts/contact", Json(change));
        }
        await SendAsync(admin, HttpMethod.Delete, $"/dialler/contacts/contact/{id}");
    }
}
