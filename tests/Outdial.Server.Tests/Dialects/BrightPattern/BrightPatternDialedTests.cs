using Microsoft.Extensions.Time.Testing;
using static Outdial.Server.Tests.Dialects.BrightPattern.BrightPatternTestKit;

namespace Outdial.Server.Tests.Dialects.BrightPattern;

/// <summary>A record dialed for real (PREVIEW, simulated network, fake clock) and completed by the agent through the native
/// agent API reads back through getCompleted with the facts of that call.</summary>
public sealed class BrightPatternDialedTests : IDisposable
{
    private readonly OutdialFactory _factory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    public BrightPatternDialedTests() => PreviewCalls.AnswerEveryCall(_factory, _time);

    public void Dispose() => PreviewCalls.Dispose(_factory);

    [Fact]
    public async Task A_record_completed_by_an_agent_after_a_real_call_reads_back_with_its_last_call()
    {
        var start = _time.GetUtcNow();
        var (admin, url, record, runner) = await PreviewCalls.TalkingAsync(_factory, _time);
        var campaign = (await Fixtures.Get(admin, url)).GetProperty("campaignId").GetString()!;
        var name = (await Fixtures.Get(admin, $"/api/v1/campaigns/{campaign}")).GetProperty("name").GetString()!;
        Assert.Empty(await Completed(admin, Url(name, name), """{"fromTime": "2026-03-02T00:00:00", "maxSize": "100"}"""));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"{url}/complete", new { result = "SUCCESS", classifier = "Sale" })).StatusCode);
        await PreviewCalls.Idle(runner);
        var completedAt = _time.GetUtcNow();

        var item = Assert.Single(await Completed(admin, Url(name, name), """{"fromTime": "2026-03-02T00:00:00", "maxSize": "100"}"""));
        Assert.Equal(completedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
            item.GetProperty("completedTime").GetString());
        var entry = item.GetProperty("entry");
        Assert.Equal(("R0", "+447400000100"), (entry.GetProperty("externalId").GetString(), entry.GetProperty("phone1").GetString()));
        var status = item.GetProperty("status");
        Assert.True(status.GetProperty("completed").GetBoolean());
        Assert.Equal("SUCCESS", status.GetProperty("lastDisposition").GetString());
        Assert.Equal(completedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + "+0000",
            status.GetProperty("lastDate").GetString());
        Assert.Equal("+447400000100", status.GetProperty("lastPhone").GetString());
        Assert.Equal("kathy", status.GetProperty("lastAgent").GetString());
        Assert.Equal(1, status.GetProperty("totalAttempts").GetInt32());
        // From the customer's answer (5 s after dialing) to the agent's completion.
        var talk = status.GetProperty("lastCallDuration").GetInt64();
        Assert.InRange(talk, 30, (long)(completedAt - start).TotalSeconds);

        // The same record through the native feed: one completion, the same record.
        var native = Assert.Single((await Fixtures.Get(admin, $"/api/v1/campaigns/{campaign}/completed")).GetProperty("items").EnumerateArray());
        Assert.Equal(record, native.GetProperty("record").GetProperty("id").GetString());
        // After the completion: nothing.
        Assert.Empty(await Completed(admin, Url(name, name), $$"""{"fromTime": "{{completedAt.UtcDateTime.AddMilliseconds(1):yyyy-MM-dd'T'HH:mm:ss.fff}}", "maxSize": 1}"""));
    }

    [Fact]
    public async Task A_customer_added_through_sinch_and_completed_by_an_agent_reads_back_through_bright_pattern()
    {
        var (admin, url, runner) = await PreviewCalls.ReadyAsync(_factory, records: 0);
        var campaign = (await Fixtures.Get(admin, url)).GetProperty("campaignId").GetString()!;
        var name = (await Fixtures.Get(admin, $"/api/v1/campaigns/{campaign}")).GetProperty("name").GetString()!;
        using var add = Sinch.SinchTestKit.Request(HttpMethod.Post, $"/campaigns/{campaign}/customers",
            """{"externalId": "10", "numbers": "+447400123456", "attributes": {"attribute": [{"name": "City", "value": "London"}]}}""", accept: "text/html");
        Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(add)).StatusCode);

        var preview = await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"{url}/preview", null));
        Assert.Equal("10", preview.GetProperty("record").GetProperty("externalId").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"{url}/records/{preview.GetProperty("handle").GetInt64()}/dial", null)).StatusCode);
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await PreviewCalls.Idle(runner);
        }
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"{url}/complete", new { result = "REFUSAL" })).StatusCode);
        await PreviewCalls.Idle(runner);

        var item = Assert.Single(await Completed(admin, Url(name, name), """{"fromTime": "2026-03-02T12:00:00", "maxSize": 10}"""));
        var entry = item.GetProperty("entry");
        Assert.Equal(("10", "+447400123456", "London"), (entry.GetProperty("externalId").GetString(), entry.GetProperty("phone1").GetString(), entry.GetProperty("City").GetString()));
        var status = item.GetProperty("status");
        Assert.Equal(("REFUSAL", "+447400123456", "kathy", 1), (status.GetProperty("lastDisposition").GetString(), status.GetProperty("lastPhone").GetString(),
            status.GetProperty("lastAgent").GetString(), status.GetProperty("totalAttempts").GetInt32()));
        // Answered 5 s after dialing, completed 20 s after dialing.
        Assert.Equal(15, status.GetProperty("lastCallDuration").GetInt64());
    }
}
