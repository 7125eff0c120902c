using NodaTime;
using Outdial.Engine.Domain;

namespace Outdial.Engine.Selection;

/// <summary>Which IANA zones a number's calling window is evaluated in.</summary>
public static class NumberZones
{
    /// <remarks>
    /// Order of precedence: the record's own <see cref="CallRecord.TimeZone"/>; else every zone libphonenumber gives the
    /// number (<see cref="RecordPhone.TimeZones"/>); else the campaign's zone; else UTC as the last resort.
    /// Names unknown to TZDB are skipped. The first zone is the number's "day zone" (where per-day caps reset).
    /// </remarks>
    public static IReadOnlyList<DateTimeZone> Resolve(string? recordZone, RecordPhone phone, string? campaignZone)
    {
        if (Find(recordZone) is { } own) return [own];
        var zones = new List<DateTimeZone>(phone.TimeZones.Count);
        foreach (var name in phone.TimeZones)
        {
            if (Find(name) is { } z && !zones.Contains(z)) zones.Add(z);
        }
        if (zones.Count > 0) return zones;
        return [Find(campaignZone) ?? DateTimeZone.Utc];
    }

    /// <summary>The zone whose calendar day bounds per-day attempt counts.</summary>
    public static DateTimeZone DayZone(string? recordZone, RecordPhone phone, string? campaignZone) =>
        Resolve(recordZone, phone, campaignZone)[0];

    internal static DateTimeZone? Find(string? name) =>
        string.IsNullOrWhiteSpace(name) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(name.Trim());
}
