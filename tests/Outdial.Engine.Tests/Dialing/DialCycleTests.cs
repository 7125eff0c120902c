using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;
using Outdial.Engine.Storage;
using static Outdial.Engine.Tests.Selection.Fixtures;

namespace Outdial.Engine.Tests.Dialing;

/// <summary>The dial cycle's decisions, from their inputs alone (no store).</summary>
public sealed class DialCycleTests
{
    private static readonly DateTimeOffset Now = Utc(2026, 3, 10, 12, 0);
    private static readonly NumberFacts NoFacts = new(DoNotCallList.None, new Dictionary<string, IReadOnlyList<NumberAttempt>>());

    [Theory]
    [InlineData(CampaignStatus.Active, null, null, true)]
    [InlineData(CampaignStatus.Passive, null, null, false)]
    [InlineData(CampaignStatus.Handled, null, null, false)]
    // Dates: [start, end) at now.
    [InlineData(CampaignStatus.Active, 0, null, true)]
    [InlineData(CampaignStatus.Active, 1, null, false)]
    [InlineData(CampaignStatus.Active, null, 1, true)]
    [InlineData(CampaignStatus.Active, null, 0, false)]
    [InlineData(CampaignStatus.Active, -2, -1, false)]
    public void A_campaign_dials_when_active_and_within_its_dates(CampaignStatus status, int? startInHours, int? endInHours, bool open)
    {
        var c = Campaign() with
        {
            Status = status,
            StartDate = startInHours is { } s ? Now.AddHours(s) : null,
            EndDate = endInHours is { } e ? Now.AddHours(e) : null,
        };
        Assert.Equal(open, DialCycle.IsOpen(c, Now));
    }

    [Theory]
    [InlineData(0, null, 0, null)]
    // A rolling cap needs both calls and hours.
    [InlineData(0, 24, 0, null)]
    [InlineData(3, null, 0, null)]
    [InlineData(3, 24, 0, 24)]
    [InlineData(0, null, 6, 6)]
    // The longer of the two.
    [InlineData(3, 4, 6, 6)]
    [InlineData(3, 48, 6, 48)]
    public void Attempts_matter_as_far_back_as_the_longest_cap(int capCalls, int? capHours, int noRedialHours, int? expectedHours)
    {
        var c = Campaign() with { RollingCapCalls = capCalls, RollingCapHours = capHours, NoRedialAfterAbandonHours = noRedialHours };
        Assert.Equal(expectedHours is { } h ? Now.AddHours(-h) : null, DialCycle.AttemptsSince(c, Now));
    }

    [Fact]
    public void A_claim_leases_the_callable_drops_the_closed_and_defers_the_rest()
    {
        var record = Record(PhoneIn("+4930123456", "Europe/Berlin"));
        var open = Progress();
        var callable = DialCycle.Evaluate(Campaign(), record, open, NoFacts, Now);
        Assert.True(callable.Callable);
        Assert.Equal(ClaimStep.Lease, DialCycle.ClaimStepOf(callable, open));

        var blocked = new NumberFacts(_ => DncStatus.BlockedUntil(Now.AddHours(2)), NoFacts.RecentAttempts);
        var waiting = DialCycle.Evaluate(Campaign(), record, open, blocked, Now);
        Assert.Equal(NotCallableReason.DoNotCall, waiting.Reason);
        Assert.Equal(Now.AddHours(2), waiting.NextEligibleAt);
        Assert.Equal(ClaimStep.Defer, DialCycle.ClaimStepOf(waiting, open));

        var closed = open with { State = RecordState.CLOSED };
        Assert.Equal(ClaimStep.Drop, DialCycle.ClaimStepOf(DialCycle.Evaluate(Campaign(), record, closed, NoFacts, Now), closed));
    }

    [Fact]
    public void Recent_attempts_read_for_the_caps_are_what_the_evaluation_counts()
    {
        var record = Record(PhoneIn("+4930123456", "Europe/Berlin"));
        var c = Campaign() with { NoRedialAfterAbandonHours = 6 };
        var abandoned = new NumberFacts(DoNotCallList.None, new Dictionary<string, IReadOnlyList<NumberAttempt>>
        {
            ["+4930123456"] = [new NumberAttempt(Now.AddHours(-1), CallResult.ABANDONED)],
        });
        var held = DialCycle.Evaluate(c, record, Progress(), abandoned, Now);
        Assert.False(held.Callable);
        Assert.Equal(Now.AddHours(5), held.NextEligibleAt);
    }

    [Theory]
    [InlineData(CallResult.DIALING, null, true)]
    [InlineData(CallResult.NOT_DIALED, DialCycle.LeaseExpiredDisposition, true)]
    // Ended otherwise: finished already, or never dialed for another reason.
    [InlineData(CallResult.NOT_DIALED, null, false)]
    [InlineData(CallResult.NOT_DIALED, "operator", false)]
    [InlineData(CallResult.NOANSWER, null, false)]
    [InlineData(CallResult.SUCCESS, DialCycle.LeaseExpiredDisposition, false)]
    public void An_attempt_may_be_finished_in_progress_or_after_the_lease_sweeper_ended_it(CallResult result, string? disposition, bool finishable) =>
        Assert.Equal(finishable, DialCycle.IsFinishable(new AttemptOnRecord("A1", "C1", 1, 0, result, disposition, HoldsLease: true)));

    [Theory]
    [InlineData(1, 256)]
    [InlineData(32, 256)]
    [InlineData(33, 264)]
    [InlineData(200, 1600)]
    public void A_claim_evaluates_at_most_eight_per_record_asked_and_never_fewer_than_256(int max, int budget) =>
        Assert.Equal(budget, DialCycle.EvaluationBudget(max));

    [Fact]
    public void Numbers_are_read_once_each_in_order_without_the_invalid()
    {
        var a = Record(PhoneIn("+4930111", "Europe/Berlin"), new RecordPhone { Raw = "junk" }, PhoneIn("+4930222", "Europe/Berlin"));
        var b = Record(PhoneIn("+4930222", "Europe/Berlin"), PhoneIn("+4930333", "Europe/Berlin"));
        Assert.Equal(["+4930111", "+4930222", "+4930333"], DialCycle.Numbers([a, b]));
    }

    [Fact]
    public void Settling_a_success_closes_the_record_for_good()
    {
        var current = new LeasedRecord(Record(PhoneIn("+4930123456", "Europe/Berlin")), Progress());
        var (applied, next) = DialCycle.Settle(Campaign(), current, new AttemptOutcome(CallResult.SUCCESS, 0), NoFacts, Now);
        Assert.Equal(RecordState.CLOSED, applied.Progress.State);
        Assert.Equal(1, applied.Record.Phones[0].Tries);
        Assert.Equal(new Callability(false, null, NotCallableReason.Completed, null), next);
    }

    [Fact]
    public void Settling_a_no_answer_waits_for_the_retry()
    {
        var current = new LeasedRecord(Record(PhoneIn("+4930123456", "Europe/Berlin")), Progress());
        var (applied, next) = DialCycle.Settle(Campaign(), current, new AttemptOutcome(CallResult.NOANSWER, 0), NoFacts, Now);
        Assert.Equal(1, applied.Progress.CallCount);
        Assert.Equal(NotCallableReason.WaitingForRetry, next.Reason);
        Assert.True(next.NextEligibleAt > Now);
    }

    [Fact]
    public void Settling_an_abandoned_call_holds_the_number_as_long_as_the_campaign_says()
    {
        // The facts count this attempt (read after its end was written): no redial for 6 h from now.
        var c = Campaign() with { NoRedialAfterAbandonHours = 6, RetryCount = 10 };
        var current = new LeasedRecord(Record(PhoneIn("+4930123456", "Europe/Berlin")), Progress());
        var facts = new NumberFacts(DoNotCallList.None, new Dictionary<string, IReadOnlyList<NumberAttempt>>
        {
            ["+4930123456"] = [new NumberAttempt(Now, CallResult.ABANDONED)],
        });
        var (_, next) = DialCycle.Settle(c, current, new AttemptOutcome(CallResult.ABANDONED, 0), facts, Now);
        Assert.False(next.Callable);
        Assert.True(next.NextEligibleAt >= Now.AddHours(6), $"{next.NextEligibleAt}");
    }
}
