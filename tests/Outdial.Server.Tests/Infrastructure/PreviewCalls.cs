using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Dialing;
using Outdial.Engine.Simulation;
using Outdial.Engine.Telephony;
using Outdial.Server.Features.Dialing;

namespace Outdial.Server.Tests.Infrastructure;

/// <summary>An agent of a PREVIEW campaign dialed for real on a fake clock (the factory's network must answer every call
/// after 5 s): Ready, then talking to a previewed customer.</summary>
public static class PreviewCalls
{
    /// <summary>Sets the factory (before it starts) on <paramref name="time"/>, over a network that answers every call by a
    /// person after 5 s and talks for 600 s.</summary>
    public static void AnswerEveryCall(OutdialFactory factory, FakeTimeProvider time) => factory.TestServices = s =>
    {
        s.AddSingleton<TimeProvider>(time);
        s.AddSingleton<ITelephony>(new SimulatedNetwork(time, new SimulatedNetworkOptions
        {
            PersonRate = 1,
            MachineRate = 0,
            FaxRate = 0,
            BusyRate = 0,
            InvalidRate = 0,
            FailedRate = 0,
            AnswerTime = Distribution.Fixed(5),
            TalkTime = Distribution.Fixed(600),
        }, seed: 1));
    };

    /// <summary>Stops the campaign runners (not hosted in tests) before the store goes, then disposes the factory.</summary>
    public static void Dispose(OutdialFactory factory)
    {
        factory.Services.GetRequiredService<DialerService>().StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        factory.Dispose();
    }

    /// <summary>An agent logged in and Ready in a campaign (PREVIEW unless <paramref name="dialingMode"/>) of
    /// <paramref name="records"/> records (at most 10).</summary>
    public static async Task<(HttpClient Admin, string Url, CampaignRunner Runner)> ReadyAsync(OutdialFactory factory, int records, string dialingMode = "PREVIEW")
    {
        var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OutdialFactory.BootstrapKey);
        var (campaignId, _) = await Fixtures.Campaign(admin, extra: new { dialingMode });
        for (var i = 0; i < records; i++) await Fixtures.Record(admin, campaignId, new { externalId = $"R{i}", numbers = $"+44740000010{i}" });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync($"/api/v1/campaigns/{campaignId}/status", new { status = "Active" })).StatusCode);
        var agent = await HttpAssert.Ok<Agent>(await admin.PostAsJsonAsync("/api/v1/agents", new { login = "kathy", name = "Kathy" }), HttpStatusCode.Created);
        var dialer = factory.Services.GetRequiredService<DialerService>();
        await dialer.ScanAsync(CancellationToken.None); // the hosted scan is off in tests
        var tenant = await factory.Store.EnsureTenantAsync("default", CancellationToken.None);
        var runner = dialer.Runner(tenant, campaignId)!;
        var url = $"/api/v1/agents/{agent.Id}/session";
        await HttpAssert.Ok<JsonElement>(await admin.PostAsJsonAsync(url, new { campaignId }), HttpStatusCode.Created);
        await Idle(runner);
        return (admin, url, runner);
    }

    /// <summary>An agent talking to the customer of a previewed record: the admin client, the session URL, the record's id, the runner.</summary>
    public static async Task<(HttpClient Admin, string Url, string Record, CampaignRunner Runner)> TalkingAsync(OutdialFactory factory, FakeTimeProvider time)
    {
        var (admin, url, runner) = await ReadyAsync(factory, records: 1);
        var preview = await HttpAssert.Ok<JsonElement>(await admin.PostAsync($"{url}/preview", null));
        Assert.Equal(HttpStatusCode.Accepted, (await admin.PostAsync($"{url}/records/{preview.GetProperty("handle").GetInt64()}/dial", null)).StatusCode);
        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Idle(runner);
        }
        Assert.Equal("Talking", (await Fixtures.Get(admin, url)).GetProperty("state").GetString());
        return (admin, url, preview.GetProperty("record").GetProperty("id").GetString()!, runner);
    }

    /// <summary>The runner has handled all it was sent (a session change reaches it one event hop after the answer).</summary>
    public static async Task Idle(CampaignRunner runner)
    {
        for (var calm = 0; calm < 2;)
        {
            await Task.Delay(calm == 0 ? 2 : 15);
            calm = runner.IsIdle ? calm + 1 : 0;
        }
    }
}
