using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Domain;
using Outdial.Engine.Events;

namespace Outdial.Engine.Tests.Events;

public sealed class EventBusTests
{
    [Fact]
    public void A_subscription_keeps_only_the_events_it_accepts_so_others_take_no_room()
    {
        var bus = new EventBus(new FakeTimeProvider());
        using var kathy = bus.Subscribe(1, new HashSet<string> { EventTypes.AgentWork }, buffer: 2, accept: e => e is AgentWorkDone { AgentId: "K" });
        bus.Publish(1, new AgentWorkDone("K", "C", 1, AgentWorkKind.Completed, CallResult.SUCCESS, "r1"));
        for (var i = 0; i < 5; i++) bus.Publish(1, new AgentWorkDone("O", "C", 10 + i, AgentWorkKind.Rejected, null));
        bus.Publish(2, new AgentWorkDone("K", "C", 2, AgentWorkKind.Completed, null)); // another tenant's agent K
        bus.Publish(1, new DialerStopped("C"));
        bus.Publish(1, new AgentWorkDone("K", "C", 3, AgentWorkKind.Rescheduled, null, "r3"));

        var got = new List<long>();
        while (kathy.Reader.TryRead(out var e)) got.Add(((AgentWorkDone)e.Data).RecordSerial);
        Assert.Equal([1, 3], got);
    }
}
