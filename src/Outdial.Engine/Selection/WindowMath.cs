using NodaTime;
using Outdial.Engine.Domain;

namespace Outdial.Engine.Selection;

/// <summary>Calling-window arithmetic on instants, exact across DST transitions.</summary>
/// <remarks>
/// A window holds at an instant when the zone's local time of day t satisfies Start &lt;= t &lt; End; when End is before
/// Start the window crosses midnight (t &gt;= Start or t &lt; End); Start == End means all day. Local time is what a
/// wall clock shows, so during a fall-back hour the same local time occurs twice and both occurrences count.
/// </remarks>
internal static class WindowMath
{
    // Far enough for any window that opens at least once a day; a horizon keeps impossible zone mixes finite.
    private static readonly Duration Horizon = Duration.FromDays(8);

    public static bool Holds(CallingWindow window, DateTimeZone zone, Instant at) =>
        Holds(window, at.InZone(zone).TimeOfDay);

    public static bool Holds(CallingWindow window, LocalTime t)
    {
        var (start, end) = Bounds(window);
        if (start == end) return true;
        return start < end ? t >= start && t < end : t >= start || t < end;
    }

    /// <summary>The first instant at or after <paramref name="from"/> inside the window in every zone; null if none within the horizon.</summary>
    public static Instant? NextOpening(CallingWindow window, IReadOnlyList<DateTimeZone> zones, Instant from)
    {
        var limit = from + Horizon;
        var t = from;
        while (t <= limit)
        {
            var moved = false;
            foreach (var zone in zones)
            {
                var next = NextOpening(window, zone, t, limit);
                if (next is null) return null;
                if (next.Value != t)
                {
                    t = next.Value;
                    moved = true;
                }
            }
            if (!moved) return t;
        }
        return null;
    }

    /// <summary>The first instant at or after <paramref name="from"/> inside the window in one zone.</summary>
    internal static Instant? NextOpening(CallingWindow window, DateTimeZone zone, Instant from, Instant limit)
    {
        var (start, _) = Bounds(window);
        var t = from;
        // Walk the zone's constant-offset intervals: inside one, local time is instant + offset and runs monotonically.
        while (t <= limit)
        {
            var interval = zone.GetZoneInterval(t);
            var offset = interval.WallOffset;
            var local = t.WithOffset(offset).LocalDateTime;
            if (Holds(window, local.TimeOfDay)) return t;
            // Outside means local time is in [End, Start) cyclically: the next opening is the next wall-clock Start.
            var openingDate = local.TimeOfDay < start ? local.Date : local.Date.PlusDays(1);
            var opening = (openingDate + start).WithOffset(offset).ToInstant();
            if (!interval.HasEnd || opening < interval.End) return opening;
            t = interval.End;
        }
        return null;
    }

    private static (LocalTime Start, LocalTime End) Bounds(CallingWindow w) =>
        (LocalTime.FromTicksSinceMidnight(w.Start.Ticks), LocalTime.FromTicksSinceMidnight(w.End.Ticks));
}
