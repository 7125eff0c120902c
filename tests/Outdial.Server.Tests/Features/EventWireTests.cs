using Microsoft.Extensions.Options;
using Outdial.Engine.Agents;
using Outdial.Engine.Events;
using Outdial.Engine.Pacing;
using Outdial.Engine.Telephony;
using Outdial.Server.Features.Events;

namespace Outdial.Server.Tests.Features;

/// <summary>The native stream's JSON of each engine event: the names and values SSE clients were given before events were typed.</summary>
public sealed class EventWireTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    public static TheoryData<EngineEvent, string> Events => new()
    {
        { new RecordProcessed("C1", 7, CallResult.SUCCESS, null, RecordState.CLOSED, null),
            """{"campaignId":"C1","recordSerial":7,"result":"SUCCESS","state":"CLOSED"}""" },
        { new CallProgressed("C1", 3, 7, CallProgressKind.AnsweredPerson),
            """{"campaignId":"C1","callId":3,"recordSerial":7,"progress":"AnsweredPerson"}""" },
        { new AgentStateChanged("A1", AgentState.Ready, AgentState.Talking, "C1", ByDialer: true),
            """{"agentId":"A1","from":"Ready","to":"Talking","campaignId":"C1","byDialer":true}""" },
        { new PacingDecided("C1", 2, PacingReason.Predictive, 0.25, 40),
            """{"campaignId":"C1","calls":2,"reason":"Predictive","expectedAbandons":0.25,"increasePredictiveRatio":40}""" },
        { new CampaignStatusChanged("C1", CampaignStatus.Handled, DialerStatus.COMPLETED, CampaignStatus.Active),
            """{"campaignId":"C1","status":"Handled","dialerStatus":"COMPLETED","previousStatus":"Active"}""" },
        { new DialerStarted("C1", DialingMode.PREDICTIVE), """{"campaignId":"C1","dialer":"started","mode":"PREDICTIVE"}""" },
        { new DialerStopped("C1"), """{"campaignId":"C1","dialer":"stopped"}""" },
        { new DialerFailed("C1", "database is locked", Retrying: false), """{"campaignId":"C1","error":"database is locked"}""" },
        { new AgentWorkDone("A1", "C1", 7, AgentWorkKind.Completed, CallResult.SUCCESS, "ref-1", new Dictionary<string, string> { ["devicePath"] = "/devices/x" }),
            """{"agentId":"A1","campaignId":"C1","recordSerial":7,"kind":"Completed","result":"SUCCESS","reference":"ref-1"}""" },
        { new RecordOffered("A1", "C1", "Campaign1", null, null, "ref-2"),
            """{"agentId":"A1","campaignId":"C1","reference":"ref-2"}""" },
        { new DialerFailed("C1", "database is locked", Retrying: true), """{"campaignId":"C1","error":"database is locked","retry":true}""" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Each_engine_event_has_its_native_shape(EngineEvent e, string json)
    {
        var options = _factory.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        Assert.Equal(json, JsonSerializer.Serialize(EventWire.ToWire(e), options));
    }

    [Fact]
    public void Every_engine_event_type_is_covered_here()
    {
        var covered = Events.Select(row => ((EngineEvent)row[0]).GetType()).ToHashSet();
        var all = typeof(EngineEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(EngineEvent)) && !t.IsAbstract);
        Assert.All(all, t => Assert.Contains(t, covered));
    }
}
