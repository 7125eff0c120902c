using Microsoft.Extensions.Time.Testing;
using static Outdial.Server.Tests.Dialects.Sinch.SinchTestKit;

namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>A customer called for real (PREVIEW, simulated network) and completed with the document's script reads as the
/// document's customer example: result, callCount, script; and counts in customerResultStatistics.</summary>
public sealed class SinchCalledCustomerTests : IDisposable
{
    private readonly OutdialFactory _factory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    public SinchCalledCustomerTests() => PreviewCalls.AnswerEveryCall(_factory, _time);

    public void Dispose() => PreviewCalls.Dispose(_factory);

    private static readonly (string Question, string Answer)[] Answers =
    [
        ("If you would now buy a new tennis racket, which of the following brands would you prefer?", "Other"),
        ("Would you be interested to visit our store so we can book an expert to introduce you these rackets in more details?", "yes"),
        ("OK. When do you think you are going to update your racket so we can give you an call to discuss what we can offer at that time?", "Within 6 months"),
    ];

    [Fact]
    public async Task The_documents_customer_with_its_script_after_a_real_call()
    {
        var (admin, url, record, runner) = await PreviewCalls.TalkingAsync(_factory, _time);
        var campaign = (await Fixtures.Get(admin, url)).GetProperty("campaignId").GetString()!;
        var script = new { name = "Tennis Sales Script", answers = Answers.Select(a => new { question = a.Question, answer = a.Answer }) };
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"{url}/complete", new { result = "SUCCESS", classifier = "Offer accepted", script })).StatusCode);
        await PreviewCalls.Idle(runner);

        var customer = await Json(admin, $"/campaigns/{campaign}/customers/{record}");
        Assert.Equal(("SUCCESS", 1), (customer.GetProperty("result").GetString(), customer.GetProperty("callCount").GetInt32()));
        Assert.Equal("Tennis Sales Script", customer.GetProperty("script").GetProperty("name").GetString());
        Assert.Equal(Answers, customer.GetProperty("script").GetProperty("answers").EnumerateArray()
            .Select(a => (a.GetProperty("question").GetString()!, a.GetProperty("answer").GetString()!)));

        var xml = await Xml(admin, $"/campaigns/{campaign}/customers/{record}");
        Assert.Equal(Answers, xml.Element("script")!.Elements("answers").Select(a => ((string)a.Element("question")!, (string)a.Element("answer")!)));

        Assert.False(Assert.Single((await Json(admin, $"/campaigns/{campaign}/customers")).EnumerateArray()).TryGetProperty("script", out _));
        Assert.True(Assert.Single((await Json(admin, $"/campaigns/{campaign}/customers?includeScript=true")).EnumerateArray()).TryGetProperty("script", out _));
        Assert.Equal(1, (await Json(admin, $"/campaigns/{campaign}/customers?result=SUCC*&callCount=1")).GetArrayLength());

        var statistics = Assert.Single((await Json(admin, $"/campaigns/{campaign}/customerResultStatistics")).EnumerateArray());
        Assert.Equal(("SUCCESS", "SUCCESS", "Offer accepted", 1L), (statistics.GetProperty("result").GetString(), statistics.GetProperty("callResult").GetString(),
            statistics.GetProperty("classifier").GetString(), statistics.GetProperty("count").GetInt64()));
    }
}
