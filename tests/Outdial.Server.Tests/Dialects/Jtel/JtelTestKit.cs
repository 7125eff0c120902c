namespace Outdial.Server.Tests.Dialects.Jtel;

/// <summary>Requests to jtel's contact functions, under either base, and campaigns set up in the store.</summary>
internal static class JtelTestKit
{
    /// <summary>The two bases a jtel client may be given: the short one, and jtel's own with the tenant as ClientsID.</summary>
    public static readonly string[] Bases = ["/dialler", "/rest/v1.0/default/dialler"];

    /// <summary>Creates a campaign in the tenant; returns its DiallerCampaignsID.</summary>
    public static async Task<long> CampaignAsync(OutdialFactory factory, string name, string tenant = "default")
    {
        _ = factory.Server;
        var id = await factory.Store.EnsureTenantAsync(tenant, CancellationToken.None);
        var created = await factory.Store.CreateCampaignAsync(id, new Campaign { Id = Id32.New(), Name = name }, CancellationToken.None);
        return created.Number;
    }

    /// <summary>The document's import example with every field, for the campaign given.</summary>
    public static string DocumentImport(string campaign) => $$"""
        {
        {{campaign}},
        "RandomSortOrder": null,
        "UserData": "testUserData",
        "Client": "Client",
        "Service": "Service",
        "ReferenceNumber": "ReferenceNumber",
        "Name" : "Name",
        "FirstName" : "FirstName",
        "Salutation" : "Salutation",
        "Title" : "Title",
        "Company" : "Company",
        "Address" : "Address",
        "PostalCode" : "PostalCode",
        "City" : "City",
        "Country" : "Country",
        "AccountOwner" : "AccountOwner",
        "AccountBank" : "AccountBank",
        "AccountNationalBankCode" : "AccountNationalBankCode",
        "AccountBIC" : "AccountBIC",
        "AccountNumber" : "AccountNumber",
        "AccountIBAN" : "AccountIBAN",
        "Amount": 0.0,
        "PhoneNumber1" : "PhoneNumber1",
        "PhoneNumber2" : "PhoneNumber2",
        "PhoneNumber3" : "PhoneNumber3",
        "PhoneNumber4" : "PhoneNumber4",
        "PhoneNumber5" : "PhoneNumber5",
        "PhoneNumber6" : "PhoneNumber6",
        "FaxNumber" : "FaxNumber",
        "Email" : "Email",
        "Website" : "Website",
        "Comment" : "Comment",
        "ReservedUsersUID" : "ReservedUsersUID",
        "FollowUpUsersUID" : "FollowUpUsersUID",
        "FollowUpDateTime" : null,
        "dtBeginDate" : "2020-01-01T00:00:00",
        "dtEndDate" : "2020-03-01T00:00:00",
        "Manufacturer" : "Manufacturer",
        "Model" : "Model",
        "Tag": "Tag",
        "ExternalSystemLink": "http://test.external.link/"
        }
        """;

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string url, string? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{method} {url}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)response.StatusCode, json.GetProperty("status").GetInt32());
        return (response.StatusCode, json);
    }

    /// <summary>A 200 envelope: its records, after checking count and status.</summary>
    public static async Task<JsonElement[]> RecordsAsync(HttpClient client, HttpMethod method, string url, string? body = null)
    {
        var (status, json) = await SendAsync(client, method, url, body);
        Assert.True(status == HttpStatusCode.OK, $"{method} {url}: {(int)status} {json}");
        var records = json.GetProperty("records").EnumerateArray().ToArray();
        Assert.Equal(records.Length, json.GetProperty("count").GetInt32());
        return records;
    }

    /// <summary>An error in the dialect's shape {"status", "message"} with the status and words of the message.</summary>
    public static async Task<string> ErrorAsync(HttpClient client, HttpMethod method, string url, HttpStatusCode expected, string? contains = null, string? body = null)
    {
        var (status, json) = await SendAsync(client, method, url, body);
        Assert.True(expected == status, $"{method} {url}: expected {(int)expected}, got {(int)status} {json}");
        var message = json.GetProperty("message").GetString() ?? "";
        if (contains is not null) Assert.Contains(contains, message, StringComparison.OrdinalIgnoreCase);
        return message;
    }
}
