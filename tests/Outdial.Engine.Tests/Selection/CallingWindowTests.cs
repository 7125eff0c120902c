using Outdial.Engine.Selection;
using static Outdial.Engine.Tests.Selection.Fixtures;

namespace Outdial.Engine.Tests.Selection;

public sealed class CallingWindowTests
{
    private const string NewYork = "America/New_York";

    [Fact]
    public void Default_window_boundaries_in_the_numbers_local_time()
    {
        var input = Input(Campaign(), Record(Phone("+12125550100")));

        var before = Callability.Evaluate(input, Local(NewYork, 2026, 6, 10, 7, 59, 59));
        Assert.False(before.Callable);
        Assert.Equal(NotCallableReason.OutsideCallingWindow, before.Reason);
        Assert.Equal(Local(NewYork, 2026, 6, 10, 8, 0), before.NextEligibleAt);

        var opening = Callability.Evaluate(input, Local(NewYork, 2026, 6, 10, 8, 0));
        Assert.True(opening.Callable);
        Assert.Equal(0, opening.PhoneIndex);
        Assert.Equal(Local(NewYork, 2026, 6, 10, 8, 0), opening.NextEligibleAt);

        Assert.True(Callability.Evaluate(input, Local(NewYork, 2026, 6, 10, 20, 59, 59)).Callable);

        var closing = Callability.Evaluate(input, Local(NewYork, 2026, 6, 10, 21, 0));
        Assert.Equal(NotCallableReason.OutsideCallingWindow, closing.Reason);
        Assert.Equal(Local(NewYork, 2026, 6, 11, 8, 0), closing.NextEligibleAt);
    }

    [Fact]
    public void Midnight_belongs_to_the_next_day()
    {
        var input = Input(Campaign(), Record(Phone("+12125550100")));
        var r = Callability.Evaluate(input, Local(NewYork, 2026, 12, 31, 0, 0));
        Assert.Equal(Local(NewYork, 2026, 12, 31, 8, 0), r.NextEligibleAt);
        var late = Callability.Evaluate(input, Local(NewYork, 2026, 12, 31, 23, 59, 59));
        Assert.Equal(Local(NewYork, 2027, 1, 1, 8, 0), late.NextEligibleAt);
    }

    [Fact]
    public void Record_zone_overrides_the_numbers_zones()
    {
        var record = Record(Phone("+12125550100")) with { TimeZone = "Europe/Berlin" };
        var r = Callability.Evaluate(Input(Campaign(), record), Utc(2026, 6, 10, 12, 0));
        Assert.True(r.Callable); // 14:00 in Berlin, 08:00 in New York would be the first second anyway
        var night = Callability.Evaluate(Input(Campaign(), record), Utc(2026, 6, 10, 20, 0)); // 22:00 Berlin, 16:00 NY
        Assert.Equal(NotCallableReason.OutsideCallingWindow, night.Reason);
        Assert.Equal(Local("Europe/Berlin", 2026, 6, 11, 8, 0), night.NextEligibleAt);
    }

    [Fact]
    public void Campaign_zone_is_the_fallback_and_utc_the_last_resort()
    {
        var unknown = PhoneIn("+80012345678");
        var withZone = Callability.Evaluate(Input(Campaign(timeZone: "Asia/Tokyo"), Record(unknown)), Utc(2026, 6, 10, 12, 0));
        Assert.Equal(Local("Asia/Tokyo", 2026, 6, 11, 8, 0), withZone.NextEligibleAt);
        var none = Callability.Evaluate(Input(Campaign(), Record(unknown)), Utc(2026, 6, 10, 21, 0));
        Assert.Equal(Utc(2026, 6, 11, 8, 0), none.NextEligibleAt);
    }

    [Fact]
    public void Number_spanning_two_zones_needs_the_window_in_both()
    {
        // +1 208 (Idaho): libphonenumber gives Mountain (Boise) and Pacific (Los Angeles).
        var phone = Phone("+12085550100");
        Assert.Equal(["America/Boise", "America/Los_Angeles"], phone.TimeZones);
        var input = Input(Campaign(), Record(phone));

        var boiseOpenLaNot = Callability.Evaluate(input, Local("America/Boise", 2026, 6, 10, 8, 30));
        Assert.Equal(NotCallableReason.OutsideCallingWindow, boiseOpenLaNot.Reason);
        Assert.Equal(Local("America/Los_Angeles", 2026, 6, 10, 8, 0), boiseOpenLaNot.NextEligibleAt);

        Assert.True(Callability.Evaluate(input, Local("America/Boise", 2026, 6, 10, 20, 59, 59)).Callable);
        var boiseClosed = Callability.Evaluate(input, Local("America/Boise", 2026, 6, 10, 21, 0));
        Assert.Equal(Local("America/Los_Angeles", 2026, 6, 11, 8, 0), boiseClosed.NextEligibleAt);
    }

    [Fact]
    public void Zones_too_far_apart_for_the_window_never_open()
    {
        var input = Input(Campaign(Window(9, 0, 10, 0)), Record(PhoneIn("+10000000001", "America/New_York", "Europe/Berlin")));
        var r = Callability.Evaluate(input, Utc(2026, 6, 10, 12, 0));
        Assert.Equal(NotCallableReason.OutsideCallingWindow, r.Reason);
        Assert.Null(r.NextEligibleAt);
    }

    [Fact]
    public void Spring_forward_gap_opens_the_window_at_the_transition()
    {
        // 2026-03-08 New York: 02:00 EST jumps to 03:00 EDT at 07:00Z; a 02:30 opening happens at the jump.
        var input = Input(Campaign(Window(2, 30, 5, 0)), Record(Phone("+12125550100")));
        var r = Callability.Evaluate(input, Utc(2026, 3, 8, 6, 0));
        Assert.Equal(Utc(2026, 3, 8, 7, 0), r.NextEligibleAt);
        Assert.False(Callability.Evaluate(input, Utc(2026, 3, 8, 6, 59, 59)).Callable);
        Assert.True(Callability.Evaluate(input, Utc(2026, 3, 8, 7, 0)).Callable);
    }

    [Fact]
    public void Spring_forward_day_default_window_is_eight_local()
    {
        var input = Input(Campaign(), Record(Phone("+12125550100")));
        var r = Callability.Evaluate(input, Utc(2026, 3, 8, 2, 0)); // 21:00 EST on the 7th
        Assert.Equal(Utc(2026, 3, 8, 12, 0), r.NextEligibleAt); // 08:00 EDT
    }

    [Fact]
    public void Fall_back_repeats_the_last_window_hour_of_a_window_crossing_midnight()
    {
        // 2026-11-01 New York: 02:00 EDT falls back to 01:00 EST at 06:00Z. Window 20:00-01:30 holds at 01:00-01:30 twice.
        var input = Input(Campaign(Window(20, 0, 1, 30)), Record(Phone("+12125550100")));
        Assert.True(Callability.Evaluate(input, Utc(2026, 11, 1, 5, 29, 59)).Callable); // 01:29:59 EDT
        var gap = Callability.Evaluate(input, Utc(2026, 11, 1, 5, 30)); // 01:30 EDT
        Assert.Equal(NotCallableReason.OutsideCallingWindow, gap.Reason);
        Assert.Equal(Utc(2026, 11, 1, 6, 0), gap.NextEligibleAt); // 01:00 EST
        var after = Callability.Evaluate(input, Utc(2026, 11, 1, 6, 30)); // 01:30 EST
        Assert.Equal(Local(NewYork, 2026, 11, 1, 20, 0), after.NextEligibleAt);
    }

    [Fact]
    public void Window_crossing_midnight()
    {
        var input = Input(Campaign(Window(20, 0, 2, 0)), Record(PhoneIn("+4930901820", "Europe/Berlin")));
        Assert.True(Callability.Evaluate(input, Local("Europe/Berlin", 2026, 6, 10, 23, 59, 59)).Callable);
        Assert.True(Callability.Evaluate(input, Local("Europe/Berlin", 2026, 6, 11, 0, 0)).Callable);
        Assert.True(Callability.Evaluate(input, Local("Europe/Berlin", 2026, 6, 11, 1, 59, 59)).Callable);
        var closed = Callability.Evaluate(input, Local("Europe/Berlin", 2026, 6, 11, 2, 0));
        Assert.Equal(Local("Europe/Berlin", 2026, 6, 11, 20, 0), closed.NextEligibleAt);
    }

    [Fact]
    public void Berlin_spring_forward_skips_the_window_start_at_two()
    {
        // 2026-03-29 Berlin: 02:00 CET jumps to 03:00 CEST at 01:00Z.
        var input = Input(Campaign(Window(2, 15, 6, 0)), Record(PhoneIn("+4930901820", "Europe/Berlin")));
        var r = Callability.Evaluate(input, Utc(2026, 3, 29, 0, 0));
        Assert.Equal(Utc(2026, 3, 29, 1, 0), r.NextEligibleAt);
    }

    [Fact]
    public void Lord_Howe_half_hour_shift()
    {
        // 2026-10-04 Lord Howe: 02:00 (+10:30) jumps to 02:30 (+11) at 15:30Z on the 3rd.
        var input = Input(Campaign(Window(2, 15, 6, 0)), Record(PhoneIn("+61255501000", "Australia/Lord_Howe")));
        var r = Callability.Evaluate(input, Utc(2026, 10, 3, 14, 0));
        Assert.Equal(Utc(2026, 10, 3, 15, 30), r.NextEligibleAt);
        Assert.False(Callability.Evaluate(input, Utc(2026, 10, 3, 15, 29, 59)).Callable);
        Assert.True(Callability.Evaluate(input, Utc(2026, 10, 3, 15, 30)).Callable);
    }

    [Fact]
    public void Equal_start_and_end_means_all_day()
    {
        var input = Input(Campaign(Window(0, 0, 0, 0)), Record(Phone("+12125550100")));
        Assert.True(Callability.Evaluate(input, Local(NewYork, 2026, 6, 10, 3, 0)).Callable);
    }
}
