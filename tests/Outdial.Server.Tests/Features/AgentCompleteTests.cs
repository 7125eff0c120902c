using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Dialing;

namespace Outdial.Server.Tests.Features;

/// <summary>
/// Completing a call an agent is talking on, for real: a PREVIEW campaign dialed on a fake clock over a network that
/// answers every call after 5 s. A refused complete leaves the agent on the call, free to complete it properly.
/// </summary>
public sealed class AgentCompleteTests : IDisposable
{
    private readonly OutdialFactory _factory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    public AgentCompleteTests() => PreviewCalls.AnswerEveryCall(_factory, _time);

    public void Dispose() => PreviewCalls.Dispose(_factory);

    [Fact]
    public async Task An_amount_the_store_cannot_read_back_is_refused()
    {
        var (admin, url, record, runner) = await TalkingAsync();
        await HttpAssert.Problem(await Complete(admin, url, "{\"result\":\"SUCCESS\",\"amount\":79228162514264337593543950335}"), HttpStatusCode.BadRequest, "'amount'");
        await HttpAssert.Problem(await Complete(admin, url, "{\"result\":\"SUCCESS\",\"amount\":-1000000000000000}"), HttpStatusCode.BadRequest, "'amount'");
        Assert.Equal("Talking", (await Fixtures.Get(admin, url)).GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Complete(admin, url, "{\"result\":\"SUCCESS\",\"amount\":999999999999.99}")).StatusCode);
        await Idle(runner);
        Assert.Contains("999999999999.99", (await Fixtures.Get(admin, $"/api/v1/records/{record}")).GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("9999-12-31T23:59:59+14:00")]
    public async Task A_callback_beyond_what_the_calendar_can_schedule_is_refused_not_left_hanging(string at)
    {
        var (admin, url, _, runner) = await TalkingAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var response = await admin.PostAsync($"{url}/complete", new StringContent($"{{\"result\":\"SUCCESS\",\"callbackAt\":\"{at}\"}}", Encoding.UTF8, "application/json"), timeout.Token);
        await HttpAssert.Problem(response, HttpStatusCode.BadRequest, "'callbackAt'");
        Assert.Equal("Talking", (await Fixtures.Get(admin, url)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await Complete(admin, url, "{\"result\":\"SUCCESS\",\"callbackAt\":\"2099-01-01T09:00:00Z\"}")).StatusCode);
        await Idle(runner);
    }

    [Fact]
    public async Task A_callback_without_an_offset_and_an_overlong_script_name_are_refused()
    {
        var (admin, url, _, runner) = await TalkingAsync();
        // Read in the server's own zone, the callback would come at an hour the caller cannot know.
        await HttpAssert.Problem(await Complete(admin, url, "{\"result\":\"SUCCESS\",\"callbackAt\":\"2099-01-01T09:00:00\"}"), HttpStatusCode.BadRequest, "callbackAt");
        await HttpAssert.Problem(await Complete(admin, url, "{\"result\":\"SUCCESS\",\"callbackAt\":\"2099-01-01\"}"), HttpStatusCode.BadRequest, "callbackAt");
        await HttpAssert.Problem(await Complete(admin, url, $"{{\"result\":\"SUCCESS\",\"script\":{{\"name\":\"{new string('n', 201)}\",\"answers\":[]}}}}"),
            HttpStatusCode.BadRequest, "'script'");
        Assert.Equal("Talking", (await Fixtures.Get(admin, url)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await Complete(admin, url, "{\"result\":\"SUCCESS\",\"callbackAt\":\"2099-01-01T09:00:00-05:00\"}")).StatusCode);
        await Idle(runner);
    }

    [Fact]
    public async Task While_holding_work_the_agent_can_neither_log_in_again_nor_set_itself_Ready_or_Paused()
    {
        var (admin, url, _, runner) = await TalkingAsync();
        var session = await Fixtures.Get(admin, url);
        var campaignId = session.GetProperty("campaignId").GetString();
        foreach (var state in new[] { "Ready", "Paused" })
            await HttpAssert.Problem(await admin.PutAsJsonAsync($"{url}/state", new { state }), HttpStatusCode.Conflict, "Talking");
        await HttpAssert.Problem(await admin.PostAsJsonAsync(url, new { campaignId, state = "Paused" }), HttpStatusCode.Conflict, "already logged in");
        await HttpAssert.Problem(await admin.PostAsJsonAsync(url, new { campaignId = Id32.New() }), HttpStatusCode.Conflict, campaignId!);
        Assert.Equal("Talking", (await Fixtures.Get(admin, url)).GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Complete(admin, url, "{\"result\":\"SUCCESS\"}")).StatusCode);
        await Idle(runner);
        Assert.Equal("Paused", (await HttpAssert.Ok<JsonElement>(await admin.PutAsJsonAsync($"{url}/state", new { state = "Paused" }))).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_refused_state_change_in_preview_leaves_the_record_held_and_the_next_preview_works()
    {
        var (admin, url, runner) = await ReadyAsync(records: 2);
        var preview = await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"{url}/preview", null));
        await HttpAssert.Problem(await admin.PutAsJsonAsync($"{url}/state", new { state = "Paused" }), HttpStatusCode.Conflict, "Preview");
        await Idle(runner);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"{url}/records/{preview.GetProperty("handle").GetInt64()}/skip", null)).StatusCode);
        await Idle(runner);
        await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"{url}/preview", null));
    }

    [Fact]
    public async Task Logging_out_and_in_again_at_once_gives_back_the_old_preview_and_the_next_preview_works()
    {
        var (admin, url, runner) = await ReadyAsync(records: 1);
        var campaignId = (await Fixtures.Get(admin, url)).GetProperty("campaignId").GetString();
        var held = await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"{url}/preview", null));
        await Idle(runner);
        // No wait between: the runner may reload the sessions only after the second login.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(url)).StatusCode);
        await HttpAssert.Ok<JsonElement>(await admin.PostAsJsonAsync(url, new { campaignId }), HttpStatusCode.Created);
        await Idle(runner);
        // The only record went back with the old session, so the new one gets it again.
        var again = await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"{url}/preview", null));
        Assert.Equal(held.GetProperty("handle").GetInt64(), again.GetProperty("handle").GetInt64());
    }

    private static Task<HttpResponseMessage> Complete(HttpClient client, string url, string json) =>
        client.PostAsync($"{url}/complete", new StringContent(json, Encoding.UTF8, "application/json"));

    private Task<(HttpClient Admin, string Url, CampaignRunner Runner)> ReadyAsync(int records) => PreviewCalls.ReadyAsync(_factory, records);

    private Task<(HttpClient Admin, string Url, string Record, CampaignRunner Runner)> TalkingAsync() => PreviewCalls.TalkingAsync(_factory, _time);

    private static Task Idle(CampaignRunner runner) => PreviewCalls.Idle(runner);
}
