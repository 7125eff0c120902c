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
}
