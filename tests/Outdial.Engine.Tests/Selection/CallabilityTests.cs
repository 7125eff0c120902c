using Outdial.Engine.Domain;
using Outdial.Engine.Selection;
using static Outdial.Engine.Tests.Selection.Fixtures;

namespace Outdial.Engine.Tests.Selection;

public sealed class CallabilityTests
{
    // 12:00 in Berlin on a summer day: inside the default window.
    private static readonly DateTimeOffset Noon = Local("Europe/Berlin", 2026, 6, 10, 12, 0);
    private static readonly RecordPhone A = PhoneIn("+4930000001", "Europe/Berlin");
    private static readonly RecordPhone B = PhoneIn("+4930000002", "Europe/Berlin");
    private static readonly RecordPhone C = PhoneIn("+4930000003", "Europe/Berlin");

    private static Callability Eval(CallabilityInput input, DateTimeOffset? at = null) => Callability.Evaluate(input, at ?? Noon);

    [Fact]
    public void Fresh_record_is_callable_on_its_first_number()
    {
        var r = Eval(Input(Campaign(), Record(A, B)));
        Assert.Equal(new Callability(true, 0, NotCallableReason.None, Noon), r);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 0)]
    public void Numbers_cycle_from_the_one_after_the_last_dialed(int last, int expected)
    {
        var progress = Progress() with { CallCount = 1, LastBNumber = last };
        Assert.Equal(expected, Eval(Input(Campaign(), Record(A, B, C), progress)).PhoneIndex);
    }

    [Fact]
    public void Cycling_skips_invalid_and_blocked_numbers()
    {
        var progress = Progress() with { CallCount = 1, LastBNumber = 0 };
        var input = Input(Campaign(), Record(A, B with { Invalid = true }, C), progress) with
        {
            DoNotCall = n => n == C.E164 ? DncStatus.Forever : DncStatus.Clear,
        };
        Assert.Equal(0, Eval(input).PhoneIndex);
    }

    [Theory]
    [InlineData(CampaignStatus.Passive)]
    [InlineData(CampaignStatus.Handled)]
    [InlineData(CampaignStatus.Expired)]
    public void Campaign_not_active(CampaignStatus status)
    {
        var r = Eval(Input(Campaign() with { Status = status }, Record(A)));
        Assert.Equal(new Callability(false, null, NotCallableReason.CampaignPassive, null), r);
    }

    [Fact]
    public void Campaign_dates_start_inclusive_end_exclusive()
    {
        var c = Campaign() with { StartDate = Noon.AddDays(1), EndDate = Noon.AddDays(2) };
        var before = Eval(Input(c, Record(A)));
        Assert.Equal(NotCallableReason.OutsideCampaignDates, before.Reason);
        Assert.Equal(Noon.AddDays(1), before.NextEligibleAt);
        Assert.True(Eval(Input(c, Record(A)), Noon.AddDays(1)).Callable);
        var ended = Eval(Input(c, Record(A)), Noon.AddDays(2));
        Assert.Equal(new Callability(false, null, NotCallableReason.OutsideCampaignDates, null), ended);
    }

    [Fact]
    public void Campaign_start_at_night_waits_for_the_window()
    {
        var c = Campaign() with { StartDate = Local("Europe/Berlin", 2026, 6, 10, 22, 0) };
        var r = Eval(Input(c, Record(A)));
        Assert.Equal(NotCallableReason.OutsideCampaignDates, r.Reason);
        Assert.Equal(Local("Europe/Berlin", 2026, 6, 11, 8, 0), r.NextEligibleAt);
    }

    [Fact]
    public void End_date_before_the_next_window_means_never()
    {
        var c = Campaign() with { EndDate = Local("Europe/Berlin", 2026, 6, 11, 7, 0) };
        var r = Eval(Input(c, Record(A)), Local("Europe/Berlin", 2026, 6, 10, 22, 0));
        Assert.Equal(NotCallableReason.OutsideCallingWindow, r.Reason);
        Assert.Null(r.NextEligibleAt);
    }

    [Fact]
    public void Completed_and_locked_are_permanent()
    {
        var closed = Progress() with { State = RecordState.CLOSED, ApplicationState = ApplicationState.CLOSED };
        Assert.Equal(new Callability(false, null, NotCallableReason.Completed, null), Eval(Input(Campaign(), Record(A), closed)));
        var locked = Record(A) with { Locked = true };
        Assert.Equal(new Callability(false, null, NotCallableReason.Locked, null), Eval(Input(Campaign(), locked)));
    }

    [Fact]
    public void Lease_holds_until_it_expires()
    {
        var input = Input(Campaign(), Record(A)) with { LeasedUntil = Noon.AddMinutes(5) };
        Assert.Equal(new Callability(false, null, NotCallableReason.Leased, Noon.AddMinutes(5)), Eval(input));
        Assert.True(Eval(input, Noon.AddMinutes(5)).Callable);
        Assert.True(Eval(input with { LeasedUntil = Noon.AddSeconds(-1) }).Callable);
    }

    [Fact]
    public void Retry_and_callback_wait_for_their_time()
    {
        var retry = Progress() with { CallCount = 1, ApplicationState = ApplicationState.RETRY, ScheduledAt = Noon.AddHours(1) };
        Assert.Equal(new Callability(false, null, NotCallableReason.WaitingForRetry, Noon.AddHours(1)), Eval(Input(Campaign(), Record(A), retry)));
        var recall = retry with { ApplicationState = ApplicationState.RECALL };
        Assert.Equal(new Callability(false, null, NotCallableReason.CallbackLater, Noon.AddHours(1)), Eval(Input(Campaign(), Record(A), recall)));
        Assert.True(Eval(Input(Campaign(), Record(A), retry), Noon.AddHours(1)).Callable);
    }

    [Fact]
    public void Retry_due_at_night_waits_for_the_window()
    {
        var retry = Progress() with { CallCount = 1, ScheduledAt = Local("Europe/Berlin", 2026, 6, 10, 23, 0) };
        var r = Eval(Input(Campaign(), Record(A), retry));
        Assert.Equal(NotCallableReason.WaitingForRetry, r.Reason);
        Assert.Equal(Local("Europe/Berlin", 2026, 6, 11, 8, 0), r.NextEligibleAt);
    }

    [Fact]
    public void Do_not_call_with_and_without_expiry()
    {
        var forever = Input(Campaign(), Record(A)) with { DoNotCall = _ => DncStatus.Forever };
        Assert.Equal(new Callability(false, null, NotCallableReason.DoNotCall, null), Eval(forever));
        var expiring = forever with { DoNotCall = _ => DncStatus.BlockedUntil(Noon.AddDays(1)) };
        Assert.Equal(new Callability(false, null, NotCallableReason.DoNotCall, Noon.AddDays(1)), Eval(expiring));
    }

    [Fact]
    public void Do_not_call_list_applies_tenant_and_own_campaign_entries()
    {
        DncEntry[] entries =
        [
            new("1", A.E164!, null, null, null, Noon, null),
            new("2", B.E164!, "OTHER", null, null, Noon, null),
            new("3", C.E164!, "C1", null, null, Noon, Noon.AddDays(3)),
            new("4", C.E164!, null, null, null, Noon, Noon.AddDays(1)),
        ];
        var check = DoNotCallList.From(entries, "C1");
        Assert.Equal(DncStatus.Forever, check(A.E164!));
        Assert.Equal(DncStatus.Clear, check(B.E164!));
        Assert.Equal(DncStatus.BlockedUntil(Noon.AddDays(3)), check(C.E164!));
    }

    [Fact]
    public void Invalid_numbers_only()
    {
        var r = Eval(Input(Campaign(), Record(A with { Invalid = true }, new RecordPhone { Raw = "abc" })));
        Assert.Equal(new Callability(false, null, NotCallableReason.InvalidNumbersOnly, null), r);
        Assert.Equal(NotCallableReason.InvalidNumbersOnly, Eval(Input(Campaign(), Record())).Reason);
    }

    [Fact]
    public void Invalid_plus_blocked_reports_the_block()
    {
        var input = Input(Campaign(), Record(A with { Invalid = true }, B)) with { DoNotCall = _ => DncStatus.Forever };
        Assert.Equal(new Callability(false, null, NotCallableReason.DoNotCall, null), Eval(input));
    }

    [Fact]
    public void Max_attempts_per_number_moves_to_the_next_number_then_stops()
    {
        var c = Campaign() with { MaxAttemptsPerNumber = 2 };
        Assert.Equal(1, Eval(Input(c, Record(A with { Tries = 2 }, B))).PhoneIndex);
        var r = Eval(Input(c, Record(A with { Tries = 2 }, B with { Tries = 3 })));
        Assert.Equal(new Callability(false, null, NotCallableReason.CapsReached, null), r);
    }

    [Fact]
    public void Max_attempts_per_day_resets_at_local_midnight()
    {
        var c = Campaign() with { MaxAttemptsPerDay = 2 };
        var phone = A with { TriesToday = 2, LastTry = Noon.AddHours(-1) };
        var r = Eval(Input(c, Record(phone)));
        Assert.Equal(NotCallableReason.CapsReached, r.Reason);
        Assert.Equal(Local("Europe/Berlin", 2026, 6, 11, 8, 0), r.NextEligibleAt); // midnight frees it, the window opens at 8
        var yesterday = phone with { LastTry = Local("Europe/Berlin", 2026, 6, 9, 23, 59, 59) };
        Assert.True(Eval(Input(c, Record(yesterday))).Callable);
        var lateWindow = c with { CallingWindow = Window(0, 0, 0, 0) };
        Assert.Equal(Local("Europe/Berlin", 2026, 6, 11, 0, 0), Eval(Input(lateWindow, Record(phone))).NextEligibleAt);
    }

    [Fact]
    public void Rolling_cap_frees_when_the_oldest_counted_call_leaves_the_window()
    {
        var c = Campaign() with { RollingCapCalls = 2, RollingCapHours = 24 };
        NumberAttempt[] attempts = [new(Noon.AddHours(-30)), new(Noon.AddHours(-20)), new(Noon.AddHours(-2))];
        var input = Input(c, Record(A)) with { RecentAttempts = new Dictionary<string, IReadOnlyList<NumberAttempt>> { [A.E164!] = attempts } };
        var r = Eval(input);
        Assert.Equal(new Callability(false, null, NotCallableReason.CapsReached, Noon.AddHours(4)), r);
        Assert.False(Eval(input, Noon.AddHours(4).AddSeconds(-1)).Callable);
        Assert.True(Eval(input, Noon.AddHours(4)).Callable);
    }

    [Fact]
    public void No_redial_after_abandoned_call()
    {
        var c = Campaign() with { NoRedialAfterAbandonHours = 72 };
        var abandoned = Noon.AddHours(-1);
        var attempts = new Dictionary<string, IReadOnlyList<NumberAttempt>> { [A.E164!] = [new(abandoned, CallResult.ABANDONED)] };
        var r = Eval(Input(c, Record(A)) with { RecentAttempts = attempts });
        Assert.Equal(new Callability(false, null, NotCallableReason.WaitingForRetry, abandoned.AddHours(72)), r);
        var otherNumber = Eval(Input(c, Record(A, B)) with { RecentAttempts = attempts });
        Assert.Equal(1, otherNumber.PhoneIndex);
    }

    [Fact]
    public void No_redial_after_abandoned_call_from_the_records_own_progress()
    {
        var progress = Progress() with { CallCount = 1, LastBNumber = 0, Result = CallResult.ABANDONED };
        var r = Eval(Input(Campaign(), Record(A with { LastTry = Noon.AddHours(-1) }), progress));
        Assert.Equal(NotCallableReason.WaitingForRetry, r.Reason);
        Assert.Equal(Noon.AddHours(71), r.NextEligibleAt);
    }

    [Fact]
    public void Earliest_number_decides_the_next_eligible_time()
    {
        var input = Input(Campaign(), Record(A, B)) with
        {
            DoNotCall = n => DncStatus.BlockedUntil(n == A.E164 ? Noon.AddHours(3) : Noon.AddHours(2)),
        };
        Assert.Equal(new Callability(false, null, NotCallableReason.DoNotCall, Noon.AddHours(2)), Eval(input));
    }

    [Fact]
    public void Record_level_wait_and_number_level_wait_combine()
    {
        var progress = Progress() with { CallCount = 1, ScheduledAt = Noon.AddHours(1) };
        var input = Input(Campaign(), Record(A), progress) with { DoNotCall = _ => DncStatus.BlockedUntil(Noon.AddHours(2)) };
        Assert.Equal(new Callability(false, null, NotCallableReason.WaitingForRetry, Noon.AddHours(2)), Eval(input));
    }
}
