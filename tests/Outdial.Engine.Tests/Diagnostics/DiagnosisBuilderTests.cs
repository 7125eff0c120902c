using Outdial.Engine.Diagnostics;
using Outdial.Engine.Domain;
using Outdial.Engine.Selection;

namespace Outdial.Engine.Tests.Diagnostics;

public sealed class DiagnosisBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static Campaign Campaign(Func<Campaign, Campaign> change) =>
        change(new Campaign { Id = Id32.New(), Name = "c", Status = CampaignStatus.Active, DialingMode = DialingMode.PREDICTIVE, AbandonRate = 3 });

    [Fact]
    public void Abandon_target_reached_holds_predictive_pacing_back()
    {
        var builder = new DiagnosisBuilder(Campaign(c => c), Now);
        builder.Add(new Callability(true, 0, NotCallableReason.None, Now));
        Assert.Equal([CampaignBlocker.AbandonTargetReached], builder.Build(readyAgents: 3, abandonRate24h: 3.2).Blockers);
        Assert.Empty(new DiagnosisBuilder(Campaign(c => c), Now).Tap(b => b.Add(new Callability(true, 0, NotCallableReason.None, Now))).Build(3, 2.9).Blockers);
    }

    [Fact]
    public void Start_date_in_the_future_and_nothing_callable_are_blockers()
    {
        var builder = new DiagnosisBuilder(Campaign(c => c with { StartDate = Now.AddDays(1) }), Now);
        builder.Add(new Callability(false, null, NotCallableReason.OutsideCallingWindow, Now.AddMinutes(30)));
        builder.Add(new Callability(false, null, NotCallableReason.Completed, null));
        var diagnosis = builder.Build(readyAgents: 1, abandonRate24h: 0);
        Assert.Equal([CampaignBlocker.BeforeStartDate, CampaignBlocker.NoCallableRecords], diagnosis.Blockers);
        Assert.Equal(1, diagnosis.Reasons[NotCallableReason.OutsideCallingWindow]);
        Assert.Equal(1, diagnosis.Forecast[0]);
        Assert.Equal(1, diagnosis.Forecast.Sum());
    }
}

internal static class TapExtensions
{
    public static T Tap<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
