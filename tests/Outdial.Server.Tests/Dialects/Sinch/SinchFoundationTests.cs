using System.Net.Http.Headers;
using static Outdial.Server.Tests.Dialects.Sinch.SinchTestKit;

namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>What every /RI/obi route shares: keys and tenants, ids, media types and the error shape.</summary>
public sealed class SinchFoundationTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/xml")]
    public async Task Without_a_key_it_is_401_in_the_dialect_shape(string accept)
    {
        var response = await _factory.CreateClient().SendAsync(Request(HttpMethod.Get, "/campaigns", accept: accept));
        Assert.Equal(accept, response.Content.Headers.ContentType?.MediaType);
        await Error(response, HttpStatusCode.Unauthorized, "no API key");
    }

    [Fact]
    public async Task Basic_auth_with_the_key_as_password_is_what_OBI_clients_send()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("obi-user:" + OutdialFactory.BootstrapKey)));
        Assert.Equal(JsonValueKind.Array, (await Json(client, "/campaigns")).ValueKind);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("obi-user:wrong")));
        await Error(await client.SendAsync(Request(HttpMethod.Get, "/campaigns")), HttpStatusCode.Unauthorized, "unknown");
    }

    [Fact]
    public async Task An_agent_key_reads_but_may_not_change_campaigns()
    {
        var (campaignId, _) = await Fixtures.Campaign(_factory.Admin(), "C");
        var agent = await _factory.ClientFor("default", Role.agent);
        await Json(agent, $"/campaigns/{campaignId}");
        await Error(await agent.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}/status", "Active", "text/plain")), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Another_tenant_sees_nothing_and_changes_nothing()
    {
        var (campaignId, _) = await Fixtures.Campaign(_factory.Admin(), "Mine");
        var other = await _factory.ClientFor("other");
        Assert.Empty((await Json(other, "/campaigns")).EnumerateArray());
        await Error(await other.SendAsync(Request(HttpMethod.Get, $"/campaigns/{campaignId}")), HttpStatusCode.NotFound, campaignId);
        await Error(await other.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}/status", "Active", "text/plain")), HttpStatusCode.NotFound);
        await Error(await other.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}", """{"name": "x", "dialingMode": "PREVIEW"}""")), HttpStatusCode.NotFound);
        Assert.Equal("Passive", (await Json(_factory.Admin(), $"/campaigns/{campaignId}")).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("8A7C98EAF1164F2FAA93B98EECB95D7")] // 31 digits
    [InlineData("8A7C98EAF1164F2FAA93B98EECB95D7G")] // not hex
    [InlineData("8A7C98EA-F116-4F2F-AA93-B98EECB95D7")] // 35
    [InlineData("{8A7C98EA-F116-4F2F-AA93-B98EECB95D76}")]
    public async Task An_id_not_in_id32_or_id36_form_is_400(string id)
    {
        var client = _factory.Admin();
        await Error(await client.SendAsync(Request(HttpMethod.Get, $"/campaigns/{Uri.EscapeDataString(id)}")), HttpStatusCode.BadRequest, "id32 or id36");
        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{Uri.EscapeDataString(id)}/status", "Active", "text/plain")), HttpStatusCode.BadRequest, "id32 or id36");
    }

    [Fact]
    public async Task Ids_are_taken_as_id32_in_either_case_or_id36_and_answered_as_id32()
    {
        var (campaignId, _) = await Fixtures.Campaign(_factory.Admin(), "C");
        var id36 = Guid.ParseExact(campaignId, "N").ToString("D");
        var client = _factory.Admin();
        Assert.Equal(campaignId, (await Json(client, $"/campaigns/{id36}")).GetProperty("id").GetString());
        Assert.Equal(campaignId, (await Json(client, $"/campaigns/{campaignId.ToLowerInvariant()}")).GetProperty("id").GetString());
        await Error(await client.SendAsync(Request(HttpMethod.Get, $"/campaigns/{Guid.NewGuid():N}")), HttpStatusCode.NotFound, "not found");
    }

    [Theory]
    [InlineData("text/csv")]
    [InlineData("text/html")]
    [InlineData("application/pdf, image/*")]
    public async Task A_GET_accepting_neither_JSON_nor_XML_is_406(string accept)
    {
        var response = await _factory.Admin().SendAsync(Request(HttpMethod.Get, "/campaigns", accept: accept));
        await Error(response, HttpStatusCode.NotAcceptable, "application/xml");
    }

    [Theory]
    [InlineData("*/*", "application/json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/xml", "application/xml")]
    [InlineData("text/xml", "application/xml")]
    [InlineData("application/json;q=0.5, application/xml", "application/xml")]
    [InlineData("application/xml;q=0.1, application/json", "application/json")]
    public async Task Accept_chooses_JSON_or_XML(string accept, string answered)
    {
        var response = await _factory.Admin().SendAsync(Request(HttpMethod.Get, "/campaigns", accept: accept));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(answered, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_neither_JSON_nor_XML_is_415_and_malformed_bodies_are_400()
    {
        var (campaignId, _) = await Fixtures.Campaign(_factory.Admin(), "C");
        var client = _factory.Admin();
        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}", "name=x", "application/x-www-form-urlencoded")), HttpStatusCode.UnsupportedMediaType, "application/xml");
        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}", """{"name": """)), HttpStatusCode.BadRequest, "malformed JSON");
        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}", "<campaign><name>x</campaign>", "application/xml")), HttpStatusCode.BadRequest, "malformed XML");
        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}", "", "application/json")), HttpStatusCode.BadRequest, "body is required");
        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}", """{"name": "x", "colour": "red"}""")), HttpStatusCode.BadRequest, "colour");
        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}", "<campaign><name>x</name><colour>red</colour></campaign>", "application/xml")), HttpStatusCode.BadRequest, "colour");
        await Error(await client.SendAsync(Request(HttpMethod.Put, $"/campaigns/{campaignId}", """<!DOCTYPE x [<!ENTITY e "boom">]><campaign><name>&e;</name></campaign>""", "application/xml")), HttpStatusCode.BadRequest, "malformed XML");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/xml")]
    public async Task Unknown_paths_and_methods_answer_in_the_dialect_shape(string accept)
    {
        var client = _factory.Admin();
        await Error(await client.SendAsync(Request(HttpMethod.Get, "/dialers", accept: accept)), HttpStatusCode.NotFound);
        await Error(await client.SendAsync(Request(HttpMethod.Delete, "/campaigns", accept: accept)), HttpStatusCode.MethodNotAllowed);
    }
}
