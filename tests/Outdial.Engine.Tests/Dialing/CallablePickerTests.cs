using Outdial.Data.Tests.Sqlite;
using Outdial.Engine.Dialing;

namespace Outdial.Engine.Tests.Dialing;

public sealed class CallablePickerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static CallablePicker Picker(DialingDb db, int batch, TimeSpan? leaseFor = null) =>
        new(db.Store, db.Tenant, db.Campaign.Id, "picker", db.Time,
            new PickerOptions { BatchSize = batch, LowWater = 2, LeaseFor = leaseFor ?? TimeSpan.FromMinutes(2), MinRemainingLease = TimeSpan.FromSeconds(20) });

    [Fact]
    public async Task Hands_out_every_record_once_in_pick_order_then_nothing()
    {
        await using var db = await DialingDb.CreateAsync();
        var serials = await db.AddRecordsAsync(30, i => i % 3);
        await using var picker = Picker(db, 7);

        var taken = new List<long>();
        while (await picker.TakeAsync(Ct) is { } next) taken.Add(next.Record.Number);

        var expected = serials.Select((s, i) => (s, p: i % 3)).OrderByDescending(x => x.p).ThenBy(x => x.s).Select(x => x.s);
        Assert.Equal(expected, taken);
    }

    [Fact]
    public async Task Drops_buffered_records_whose_lease_is_nearly_over()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(10);
        await using var picker = Picker(db, 4, TimeSpan.FromMinutes(1));
        var first = await picker.TakeAsync(Ct);
        Assert.NotNull(first);

        db.Time.Advance(TimeSpan.FromSeconds(45));
        var next = await picker.TakeAsync(Ct);

        Assert.NotNull(next);
        Assert.Equal(db.Now.AddMinutes(1), next.Lease.Until);
    }

    [Fact]
    public async Task Disposing_gives_buffered_records_back()
    {
        await using var db = await DialingDb.CreateAsync();
        await db.AddRecordsAsync(5);
        var picker = Picker(db, 5);
        Assert.NotNull(await picker.TakeAsync(Ct));
        await picker.DisposeAsync();

        Assert.Equal(4, (await db.ClaimAsync(10)).Count);
    }
}
