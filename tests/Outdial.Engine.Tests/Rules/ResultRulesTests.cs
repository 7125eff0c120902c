using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;
using static Outdial.Engine.Tests.Selection.Fixtures;

namespace Outdial.Engine.Tests.Rules;

public sealed class ResultRulesTests
{
    private static readonly DateTimeOffset Noon = Local("Europe/Berlin", 2026, 6, 10, 12, 0);
    private static readonly RecordPhone A = PhoneIn("+4930000001", "Europe/Berlin");
    private static readonly RecordPhone B = PhoneIn("+4930000002", "Europe/Berlin");

    /// <summary>Dials whatever callability picks at each due time and applies the same result, <paramref name="times"/> times.</summary>
    private static (CallRecord Record, RecordProgress Progress, DateTimeOffset At) Dial(
        Campaign c, CallRecord record, RecordProgress progress, CallResult result, int times, DateTimeOffset at)
    {
        for (var i = 0; i < times; i++)
        {
            var callability = Callability.Evaluate(Input(c, record, progress), at);
            Assert.True(callability.Callable, $"attempt {i + 1}: {callability.Reason}");
            var applied = ResultRules.Apply(c, record, progress, new AttemptOutcome(result, callability.PhoneIndex!.Value), at);
            (record, progress) = (applied.Record, applied.Progress);
            at = Callability.Evaluate(Input(c, record, progress), at).NextEligibleAt ?? at;
        }
        return (record, progress, at);
    }

    [Fact]
    public void Three_retries_then_the_fourth_busy_gives_MAXCALLS()
    {
        var c = Campaign();
        Assert.Equal(3, c.RetryCount);
        var (record, progress, at) = Dial(c, Record(A), Progress(), CallResult.BUSY, 3, Noon);
        Assert.Equal(CallResult.BUSY, progress.Result);
        Assert.Equal(3, progress.CallCount);
        Assert.True(Callability.Evaluate(Input(c, record, progress), at).Callable);

        (record, progress, at) = Dial(c, record, progress, CallResult.BUSY, 1, at);
        Assert.Equal(CallResult.MAXCALLS, progress.Result);
        Assert.Equal("BUSY", progress.CallResult);
        Assert.Equal(4, progress.CallCount);
        Assert.Equal(RecordState.OPEN, progress.State);
        Assert.Equal(ApplicationState.RETRY, progress.ApplicationState);
        Assert.Null(progress.ClosedAt);
        var later = Callability.Evaluate(Input(c, record, progress), at.AddDays(30));
        Assert.Equal(new Callability(false, null, NotCallableReason.CapsReached, null), later);
    }

    [Fact]
    public void Mixed_busy_and_noanswer_count_together()
    {
        var c = Campaign() with { RetryCount = 1 };
        var (record, progress, at) = Dial(c, Record(A), Progress(), CallResult.NOANSWER, 1, Noon);
        (_, progress, _) = Dial(c, record, progress, CallResult.BUSY, 1, at);
        Assert.Equal(CallResult.MAXCALLS, progress.Result);
    }

    [Fact]
    public void Raising_RetryCount_makes_MAXCALLS_records_callable_again()
    {
        var c = Campaign();
        var (record, progress, at) = Dial(c, Record(A), Progress(), CallResult.NOANSWER, 4, Noon);
        Assert.Equal(CallResult.MAXCALLS, progress.Result);

        var raised = c with { RetryCount = 4 };
        var again = Callability.Evaluate(Input(raised, record, progress), at.AddDays(1));
        Assert.True(again.Callable);
        (_, progress, _) = Dial(raised, record, progress, CallResult.NOANSWER, 1, at.AddDays(1));
        Assert.Equal(CallResult.MAXCALLS, progress.Result);
        Assert.Equal(5, progress.CallCount);
    }

    [Fact]
    public void RetryCount_zero_allows_one_attempt()
    {
        var c = Campaign() with { RetryCount = 0 };
        var (_, progress, _) = Dial(c, Record(A), Progress(), CallResult.BUSY, 1, Noon);
        Assert.Equal(CallResult.MAXCALLS, progress.Result);
    }

    [Fact]
    public void An_invalid_number_that_spends_the_budget_with_a_number_left_gives_MAXCALLS()
    {
        // Like NextNumber, which it falls back to: otherwise the record stays open, never callable and in no count.
        var c = Campaign() with { RetryCount = 1 };
        var (record, progress, at) = Dial(c, Record(A, B), Progress(), CallResult.NOANSWER, 1, Noon);
        var applied = ResultRules.Apply(c, record, progress, new AttemptOutcome(CallResult.INVALID_NUMBER, 1), at);
        Assert.Equal((CallResult.MAXCALLS, "INVALID_NUMBER", RecordState.OPEN), (applied.Progress.Result, applied.Progress.CallResult, applied.Progress.State));
        Assert.True(applied.Record.Phones[1].Invalid);
        Assert.Equal(NotCallableReason.CapsReached, Callability.Evaluate(Input(c, applied.Record, applied.Progress), at).Reason);
        Assert.True(Callability.Evaluate(Input(c with { RetryCount = 2 }, applied.Record, applied.Progress), at).Callable);
    }

    [Fact]
    public void Final_closes_the_record()
    {
        var applied = ResultRules.Apply(Campaign(), Record(A), Progress(), new AttemptOutcome(CallResult.SUCCESS, 0) { Amount = 12.5m, Classifier = "Gold" }, Noon);
        var p = applied.Progress;
        Assert.Equal(RuleAction.Final, applied.Action);
        Assert.Equal((RecordState.CLOSED, ApplicationState.CLOSED, Noon), (p.State, p.ApplicationState, p.ClosedAt));
        Assert.Equal((CallResult.SUCCESS, "SUCCESS", 12.5m, "Gold"), (p.Result, p.CallResult, p.Amount, p.Classifier));
        Assert.Equal(NotCallableReason.Completed, Callability.Evaluate(Input(Campaign(), applied.Record, p), Noon).Reason);
    }

    [Fact]
    public void Retry_schedules_after_the_delay_and_counts_the_try()
    {
        var applied = ResultRules.Apply(Campaign(), Record(A, B), Progress(), new AttemptOutcome(CallResult.BUSY, 0), Noon);
        var p = applied.Progress;
        Assert.Equal((RecordState.OPEN, ApplicationState.RETRY, Noon.AddSeconds(300)), (p.State, p.ApplicationState, p.ScheduledAt));
        Assert.Equal((1, 0), (p.CallCount, p.LastBNumber));
        var phone = applied.Record.Phones[0];
        Assert.Equal((1, 1, (DateTimeOffset?)Noon), (phone.Tries, phone.TriesToday, phone.LastTry));
        Assert.Equal(0, applied.Record.Phones[1].Tries);
        var next = Callability.Evaluate(Input(Campaign(), applied.Record, p), Noon);
        Assert.Equal(NotCallableReason.WaitingForRetry, next.Reason);
        Assert.Equal(1, Callability.Evaluate(Input(Campaign(), applied.Record, p), Noon.AddSeconds(300)).PhoneIndex);
    }

    [Fact]
    public void Tries_today_restart_on_a_new_local_day()
    {
        var phone = A with { Tries = 5, TriesToday = 3, LastTry = Local("Europe/Berlin", 2026, 6, 9, 23, 30) };
        var applied = ResultRules.Apply(Campaign(), Record(phone), Progress(), new AttemptOutcome(CallResult.BUSY, 0), Local("Europe/Berlin", 2026, 6, 10, 0, 10));
        Assert.Equal((6, 1), (applied.Record.Phones[0].Tries, applied.Record.Phones[0].TriesToday));
        var sameDay = ResultRules.Apply(Campaign(), applied.Record, applied.Progress, new AttemptOutcome(CallResult.BUSY, 0), Local("Europe/Berlin", 2026, 6, 10, 23, 59));
        Assert.Equal(2, sameDay.Record.Phones[0].TriesToday);
    }

    [Fact]
    public void Next_number_moves_on_immediately()
    {
        var applied = ResultRules.Apply(Campaign(), Record(A, B), Progress(), new AttemptOutcome(CallResult.NOT_DIALED, 0), Noon);
        Assert.Equal((ApplicationState.RETRY, (DateTimeOffset?)null), (applied.Progress.ApplicationState, applied.Progress.ScheduledAt));
        Assert.Equal(1, Callability.Evaluate(Input(Campaign(), applied.Record, applied.Progress), Noon).PhoneIndex);
    }

    [Fact]
    public void Invalidate_number_then_close_when_none_is_left()
    {
        var c = Campaign();
        var first = ResultRules.Apply(c, Record(A, B), Progress(), new AttemptOutcome(CallResult.INVALID_NUMBER, 0), Noon);
        Assert.True(first.Record.Phones[0].Invalid);
        Assert.Equal("INVALID_NUMBER", first.Record.Phones[0].InvalidReason);
        Assert.Equal(RecordState.OPEN, first.Progress.State);
        Assert.Equal(1, Callability.Evaluate(Input(c, first.Record, first.Progress), Noon).PhoneIndex);

        var second = ResultRules.Apply(c, first.Record, first.Progress, new AttemptOutcome(CallResult.FAX, 1), Noon);
        var p = second.Progress;
        Assert.Equal((RecordState.CLOSED, ApplicationState.CLOSED, CallResult.NOT_DIALED, "FAX"), (p.State, p.ApplicationState, p.Result, p.CallResult));
        Assert.Equal(Noon, p.ClosedAt);
    }

    [Fact]
    public void Personal_and_campaign_callbacks()
    {
        var at = Noon.AddDays(1);
        var personal = ResultRules.Apply(Campaign(), Record(A), Progress(), new AttemptOutcome(CallResult.SUCCESS, 0) { CallbackAt = at, CallbackAgentId = "AG1" }, Noon);
        Assert.Equal(RuleAction.Callback, personal.Action);
        var p = personal.Progress;
        Assert.Equal((RecordState.OPEN, ApplicationState.RECALL, (DateTimeOffset?)at, "AG1"), (p.State, p.ApplicationState, p.ScheduledAt, p.AgentId));
        Assert.Equal(NotCallableReason.CallbackLater, Callability.Evaluate(Input(Campaign(), personal.Record, p), Noon).Reason);

        var rules = new Dictionary<CallResult, ResultRule>(Domain.Campaign.DefaultRules) { [CallResult.HANGUP] = new(RuleAction.Callback, 900) };
        var c = Campaign() with { Rules = rules };
        var campaignCallback = ResultRules.Apply(c, Record(A), p, new AttemptOutcome(CallResult.HANGUP, 0), Noon);
        Assert.Equal((ApplicationState.RECALL, (DateTimeOffset?)Noon.AddSeconds(900), (string?)null),
            (campaignCallback.Progress.ApplicationState, campaignCallback.Progress.ScheduledAt, campaignCallback.Progress.AgentId));
    }

    [Fact]
    public void Callbacks_are_kept_even_after_the_retry_budget_is_spent()
    {
        var c = Campaign() with { RetryCount = 0 };
        var applied = ResultRules.Apply(c, Record(A), Progress(), new AttemptOutcome(CallResult.SUCCESS, 0) { CallbackAt = Noon.AddHours(1) }, Noon);
        Assert.True(Callability.Evaluate(Input(c, applied.Record, applied.Progress), Noon.AddHours(1)).Callable);
    }

    [Fact]
    public void Result_missing_from_the_campaign_map_uses_the_default_rule()
    {
        var c = Campaign() with { Rules = new Dictionary<CallResult, ResultRule> { [CallResult.SUCCESS] = new(RuleAction.Final) } };
        var applied = ResultRules.Apply(c, Record(A), Progress(), new AttemptOutcome(CallResult.BUSY, 0), Noon);
        Assert.Equal(RuleAction.Retry, applied.Action);
    }

    [Fact]
    public void Rejects_non_outcomes_and_unknown_numbers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultRules.Apply(Campaign(), Record(A), Progress(), new AttemptOutcome(CallResult.MAXCALLS, 0), Noon));
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultRules.Apply(Campaign(), Record(A), Progress(), new AttemptOutcome(CallResult.BUSY, 1), Noon));
    }

    [Theory]
    [InlineData(RuleAction.Final, RecordState.CLOSED, ApplicationState.CLOSED)]
    [InlineData(RuleAction.Retry, RecordState.OPEN, ApplicationState.RETRY)]
    [InlineData(RuleAction.NextNumber, RecordState.OPEN, ApplicationState.RETRY)]
    [InlineData(RuleAction.Callback, RecordState.OPEN, ApplicationState.RECALL)]
    public void Conpeek_states(RuleAction action, RecordState state, ApplicationState appState) =>
        Assert.Equal((state, appState), ResultRules.StatesFor(action));
}
