using NodaTime;
using Outdial.Engine.Domain;

namespace Outdial.Engine.Selection;

/// <summary>Per-number checks at one instant: a reason (None when dialable) and a lower bound on when that number frees.</summary>
internal static class NumberRules
{
    /// <remarks>
    /// The reason is the first failing check in reporting order; the bound is the latest bound of all failing checks
    /// (each holds the number back until its own bound), or null when one of them is permanent.
    /// </remarks>
    /// <param name="ownAbandonAt">When the record's own last call on this number was ABANDONED, its time: a fallback for hosts that pass no attempts.</param>
    public static Callability.Step Check(
        Campaign c, RecordPhone phone, IReadOnlyList<DateTimeZone> zones, CallabilityInput input, DateTimeOffset? ownAbandonAt, DateTimeOffset t)
    {
        if (phone.Invalid || string.IsNullOrEmpty(phone.E164)) return Never(NotCallableReason.InvalidNumbersOnly);

        var reason = NotCallableReason.None;
        DateTimeOffset bound = t;
        var permanent = false;
        void Fail(NotCallableReason r, DateTimeOffset? until)
        {
            if (reason == NotCallableReason.None) reason = r;
            if (until is null) permanent = true;
            else if (until.Value > bound) bound = until.Value;
        }

        var dnc = input.DoNotCall?.Invoke(phone.E164) ?? DncStatus.Clear;
        if (dnc.BlocksAt(t)) Fail(NotCallableReason.DoNotCall, dnc.Until);

        if (c.MaxAttemptsPerNumber is { } maxTries && phone.Tries >= maxTries) Fail(NotCallableReason.CapsReached, null);
        if (phone.NextTry is { } nextTry && nextTry > t) Fail(NotCallableReason.WaitingForRetry, nextTry);

        if (c.MaxAttemptsPerDay is { } maxPerDay)
        {
            var dayZone = zones[0];
            if (TriesOnDayOf(phone, dayZone, t) >= maxPerDay) Fail(NotCallableReason.CapsReached, NextLocalMidnight(dayZone, t));
        }

        var recent = input.RecentAttempts is { } all && all.TryGetValue(phone.E164, out var list) ? list : [];
        if (c.RollingCapCalls is { } capCalls && c.RollingCapHours is { } capHours && capCalls > 0 && capHours > 0)
        {
            if (RollingCapFreesAt(recent, capCalls, TimeSpan.FromHours(capHours), t) is { } frees) Fail(NotCallableReason.CapsReached, frees);
        }
        if (c.NoRedialAfterAbandonHours > 0)
        {
            var hold = TimeSpan.FromHours(c.NoRedialAfterAbandonHours);
            var held = AbandonHoldUntil(recent, hold, t);
            if (ownAbandonAt is { } own && own + hold > t && (held is null || own + hold > held)) held = own + hold;
            if (held is not null) Fail(NotCallableReason.WaitingForRetry, held);
        }

        var at = Instant.FromDateTimeOffset(t);
        if (!zones.All(z => WindowMath.Holds(c.CallingWindow, z, at)))
        {
            var opens = WindowMath.NextOpening(c.CallingWindow, zones, at);
            Fail(NotCallableReason.OutsideCallingWindow, opens?.ToDateTimeOffset());
        }

        if (reason == NotCallableReason.None) return new(null, NotCallableReason.None, null);
        return permanent ? Never(reason) : Callability.Step.Until(reason, bound);
    }

    /// <summary>Attempts today as counted by <see cref="RecordPhone.TriesToday"/>, which is stale once the day of the last try is over.</summary>
    internal static int TriesOnDayOf(RecordPhone phone, DateTimeZone dayZone, DateTimeOffset t) =>
        phone.LastTry is { } last && LocalDate(dayZone, last) == LocalDate(dayZone, t) ? phone.TriesToday : 0;

    internal static LocalDate LocalDate(DateTimeZone zone, DateTimeOffset t) => Instant.FromDateTimeOffset(t).InZone(zone).Date;

    private static DateTimeOffset NextLocalMidnight(DateTimeZone zone, DateTimeOffset t) =>
        zone.AtStartOfDay(LocalDate(zone, t).PlusDays(1)).ToDateTimeOffset();

    /// <summary>
    /// An attempt counts while less than <paramref name="window"/> has passed since it started. With k &gt;= n attempts
    /// in the window, dialing is allowed again once the (k - n + 1)-th oldest leaves it.
    /// </summary>
    internal static DateTimeOffset? RollingCapFreesAt(IReadOnlyList<NumberAttempt> attempts, int n, TimeSpan window, DateTimeOffset t)
    {
        var inWindow = attempts.Where(a => a.Started > t - window).Select(a => a.Started).Order().ToList();
        if (inWindow.Count < n) return null;
        return inWindow[inWindow.Count - n] + window;
    }

    internal static DateTimeOffset? AbandonHoldUntil(IReadOnlyList<NumberAttempt> attempts, TimeSpan hold, DateTimeOffset t)
    {
        DateTimeOffset? until = null;
        foreach (var a in attempts)
        {
            if (a.Result != CallResult.ABANDONED) continue;
            var end = a.Started + hold;
            if (end > t && (until is null || end > until)) until = end;
        }
        return until;
    }

    private static Callability.Step Never(NotCallableReason reason) => Callability.Step.Never(reason);
}
