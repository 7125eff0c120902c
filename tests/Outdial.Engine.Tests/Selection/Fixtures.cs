using NodaTime;
using Outdial.Engine.Domain;
using Outdial.Engine.Phones;
using Outdial.Engine.Selection;

namespace Outdial.Engine.Tests.Selection;

/// <summary>Small builders for campaigns, records and instants in tests.</summary>
internal static class Fixtures
{
    public static Campaign Campaign(CallingWindow? window = null, string? timeZone = null) => new()
    {
        Id = "C1",
        Name = "Test",
        Status = CampaignStatus.Active,
        CallingWindow = window ?? CallingWindow.Default,
        TimeZone = timeZone,
    };

    public static RecordPhone Phone(string e164)
    {
        var n = PhoneNormalizer.Normalize(e164, null);
        Assert.True(n.IsValid, n.Error);
        return n.ToRecordPhone();
    }

    /// <summary>A valid-looking number pinned to the given zones (no libphonenumber lookup).</summary>
    public static RecordPhone PhoneIn(string e164, params string[] zones) => new() { Raw = e164, E164 = e164, TimeZones = zones };

    public static CallRecord Record(params RecordPhone[] phones) => new()
    {
        Id = "R1",
        ListId = "L1",
        ExternalId = "X1",
        Phones = phones,
    };

    public static RecordProgress Progress() => new() { CampaignId = "C1" };

    public static CallabilityInput Input(Campaign c, CallRecord r, RecordProgress? p = null) =>
        new() { Campaign = c, Record = r, Progress = p ?? Progress() };

    /// <summary>The instant at which the wall clock in <paramref name="zone"/> shows the given time (earlier one if ambiguous).</summary>
    public static DateTimeOffset Local(string zone, int y, int mo, int d, int h, int mi, int s = 0) =>
        DateTimeZoneProviders.Tzdb[zone].AtLeniently(new LocalDateTime(y, mo, d, h, mi, s)).ToDateTimeOffset();

    public static DateTimeOffset Utc(int y, int mo, int d, int h, int mi, int s = 0) => new(y, mo, d, h, mi, s, TimeSpan.Zero);

    public static CallingWindow Window(int startH, int startM, int endH, int endM) =>
        new(new TimeOnly(startH, startM), new TimeOnly(endH, endM));
}
