using System.Net.Http.Headers;
using System.Xml.Linq;

namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>Requests to /RI/obi in JSON or XML, and the document's example ids set up in the store.</summary>
internal static class SinchTestKit
{
    public const string Base = "/RI/obi";

    /// <summary>The queue of the document's examples.</summary>
    public const string QueueId = "63AA93F493A54C5A8597FCFA670B2382";

    public static async Task<string> CreateDocumentQueueAsync(OutdialFactory factory, string tenant = "default")
    {
        _ = factory.Server;
        var id = await factory.Store.EnsureTenantAsync(tenant, CancellationToken.None);
        await factory.Store.CreateQueueAsync(id, new Queue(QueueId, "Test Queue"), CancellationToken.None);
        return QueueId;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? body = null, string contentType = "application/json", string accept = "application/json")
    {
        var request = new HttpRequestMessage(method, Base + path);
        request.Headers.Accept.ParseAdd(accept);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, MediaTypeHeaderValue.Parse(contentType));
        return request;
    }

    public static async Task<JsonElement> Json(HttpClient client, string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await client.SendAsync(Request(HttpMethod.Get, path));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<XElement> Xml(HttpClient client, string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await client.SendAsync(Request(HttpMethod.Get, path, accept: "application/xml"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return XElement.Parse(text);
    }

    /// <summary>Asserts the dialect's error shape {statusCode, error} with the status and, optionally, words of the reason.</summary>
    public static async Task<string> Error(HttpResponseMessage response, HttpStatusCode status, string? contains = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        string error;
        if (response.Content.Headers.ContentType?.MediaType == "application/xml")
        {
            var xml = XElement.Parse(text);
            Assert.Equal("error", xml.Name.LocalName);
            Assert.Equal((int)status, (int)xml.Element("statusCode")!);
            error = (string)xml.Element("error")!;
        }
        else
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var json = JsonDocument.Parse(text).RootElement;
            Assert.Equal((int)status, json.GetProperty("statusCode").GetInt32());
            error = json.GetProperty("error").GetString()!;
        }
        if (contains is not null) Assert.Contains(contains, error, StringComparison.OrdinalIgnoreCase);
        return error;
    }

    public static async Task NoContent(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"expected 204, got {(int)response.StatusCode}: {text}");
    }
}
