using Outdial.Engine.Dialing;
using Outdial.Engine.Domain;

namespace Outdial.Engine.Tests.Dialing;

public sealed class CampaignLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly CampaignWork Left = new(HasRecords: true, AnythingLeft: true);
    private static readonly CampaignWork Done = new(HasRecords: true, AnythingLeft: false);
    private static readonly CampaignWork Empty = new(HasRecords: false, AnythingLeft: false);

    [Theory]
    // Active stays Active while anything is left, or while it has no records (waiting for an import).
    [InlineData(CampaignStatus.Active, DialerStatus.OPEN, null, "left", null, null)]
    [InlineData(CampaignStatus.Active, DialerStatus.OPEN, null, "empty", null, null)]
    [InlineData(CampaignStatus.Active, DialerStatus.OPEN, null, "done", CampaignStatus.Handled, DialerStatus.COMPLETED)]
    [InlineData(CampaignStatus.Handled, DialerStatus.COMPLETED, null, "done", null, null)]
    [InlineData(CampaignStatus.Handled, DialerStatus.COMPLETED, null, "left", CampaignStatus.Active, DialerStatus.OPEN)]
    // The end date wins over the records; a later end date makes an Expired campaign Active (or Handled) again.
    [InlineData(CampaignStatus.Active, DialerStatus.OPEN, -1, "left", CampaignStatus.Expired, DialerStatus.EXPIRED)]
    [InlineData(CampaignStatus.Handled, DialerStatus.COMPLETED, 0, "done", CampaignStatus.Expired, DialerStatus.EXPIRED)]
    [InlineData(CampaignStatus.Expired, DialerStatus.EXPIRED, -1, "left", null, null)]
    [InlineData(CampaignStatus.Expired, DialerStatus.EXPIRED, 1, "left", CampaignStatus.Active, DialerStatus.OPEN)]
    [InlineData(CampaignStatus.Expired, DialerStatus.EXPIRED, 1, "done", CampaignStatus.Handled, DialerStatus.COMPLETED)]
    // An Active campaign whose dialer status is stale is corrected.
    [InlineData(CampaignStatus.Active, DialerStatus.PASSIVE, null, "left", CampaignStatus.Active, DialerStatus.OPEN)]
    // The operator's Passive, and statuses nothing derives, are left alone whatever the dates and records.
    [InlineData(CampaignStatus.Passive, DialerStatus.PASSIVE, -1, "done", null, null)]
    [InlineData(CampaignStatus.Quota, DialerStatus.QUOTA, null, "done", null, null)]
    [InlineData(CampaignStatus.Invalid, DialerStatus.CLOSED, -1, "left", null, null)]
    public void Derives_status_from_dates_and_records(
        CampaignStatus status, DialerStatus dialerStatus, int? endInHours, string work, CampaignStatus? expected, DialerStatus? expectedDialer)
    {
        var end = endInHours is { } h ? Now.AddHours(h) : (DateTimeOffset?)null;
        var w = work switch { "left" => Left, "done" => Done, _ => Empty };
        var next = CampaignLifecycle.Derive(status, dialerStatus, end, w, Now);
        Assert.Equal(expected, next?.Status);
        Assert.Equal(expectedDialer, next?.DialerStatus);
    }

    [Fact]
    public void Derived_status_is_a_fixed_point()
    {
        // Applying a derivation and deriving again changes nothing: the dialer's scan never flips back and forth.
        foreach (var status in Enum.GetValues<CampaignStatus>())
            foreach (var dialer in Enum.GetValues<DialerStatus>())
                foreach (var end in new DateTimeOffset?[] { null, Now.AddHours(-1), Now, Now.AddHours(1) })
                    foreach (var work in new[] { Left, Done, Empty })
                        if (CampaignLifecycle.Derive(status, dialer, end, work, Now) is { } next)
                            Assert.Null(CampaignLifecycle.Derive(next.Status, next.DialerStatus, end, work, Now));
    }
}
