using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;

namespace Outdial.Engine.Tests.Operations;

public sealed class CampaignOperationsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [InlineData(CampaignStatus.Active, DialerStatus.OPEN)]
    [InlineData(CampaignStatus.Passive, DialerStatus.PASSIVE)]
    public async Task Status_sets_the_dialer_status_it_opens_and_signals_reevaluation(CampaignStatus status, DialerStatus expected)
    {
        await using var db = await OperationsDb.CreateAsync();
        var created = await db.Campaigns.CreateAsync(db.Tenant, new CampaignChanges { Name = "c" }, Ct);
        var before = db.Signal.Raised;

        await db.Campaigns.SetStatusAsync(db.Tenant, created.Campaign.Id, status, Ct);

        var stored = await db.Campaigns.FindAsync(db.Tenant, created.Campaign.Id, Ct);
        Assert.Equal((status, expected), (stored.Status, stored.DialerStatus));
        Assert.Equal(before + 1, db.Signal.Raised);
        Assert.True(db.Signal.TryTake());
    }

    [Theory]
    [InlineData(null)]
    [InlineData(CampaignStatus.Expired)]
    [InlineData(CampaignStatus.Handled)]
    public async Task Only_Active_or_Passive_can_be_set(CampaignStatus? status)
    {
        await using var db = await OperationsDb.CreateAsync();
        var created = await db.Campaigns.CreateAsync(db.Tenant, new CampaignChanges { Name = "c" }, Ct);

        var error = await Assert.ThrowsAsync<ValidationException>(() => db.Campaigns.SetStatusAsync(db.Tenant, created.Campaign.Id, status, Ct));

        Assert.Equal("status", error.Field);
        Assert.Equal(CampaignStatus.Passive, (await db.Campaigns.FindAsync(db.Tenant, created.Campaign.Id, Ct)).Status);
        Assert.Equal(0, db.Signal.Raised);
    }

    /// <summary>At or after the endDate the dialer would make it Expired at its next scan: say so instead of accepting.</summary>
    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public async Task Active_at_or_past_the_end_date_is_a_conflict(int secondsPastEnd, bool refused)
    {
        await using var db = await OperationsDb.CreateAsync();
        var end = OperationsDb.T0.AddDays(1);
        var created = await db.Campaigns.CreateAsync(db.Tenant, new CampaignChanges { Name = "c", EndDate = end }, Ct);
        db.Time.SetUtcNow(end.AddSeconds(secondsPastEnd));

        var set = () => db.Campaigns.SetStatusAsync(db.Tenant, created.Campaign.Id, CampaignStatus.Active, Ct);

        if (refused)
        {
            var error = await Assert.ThrowsAsync<OperationException>(set);
            Assert.Equal(ErrorKind.Conflict, error.Kind);
            Assert.Contains("endDate", error.Message, StringComparison.Ordinal);
        }
        else await set();
        Assert.Equal(refused ? CampaignStatus.Passive : CampaignStatus.Active, (await db.Campaigns.FindAsync(db.Tenant, created.Campaign.Id, Ct)).Status);
        // Passive past the end stays allowed: stopping is always possible.
        await db.Campaigns.SetStatusAsync(db.Tenant, created.Campaign.Id, CampaignStatus.Passive, Ct);
    }

    [Fact]
    public async Task Updates_signal_reevaluation_after_they_commit_and_refused_ones_do_not()
    {
        await using var db = await OperationsDb.CreateAsync();
        var created = await db.Campaigns.CreateAsync(db.Tenant, new CampaignChanges { Name = "c" }, Ct);
        Assert.Equal(0, db.Signal.Raised); // a new campaign has no waiting records

        var patched = await db.Campaigns.UpdateAsync(db.Tenant, created.Campaign.Id,
            new CampaignChanges { CallingWindow = new WindowText("09:00", "17:00") }, partial: true, Ct);
        Assert.Equal(1, db.Signal.Raised);
        Assert.Equal("c", patched.Campaign.Name);
        Assert.Equal(new CallingWindow(new TimeOnly(9, 0), new TimeOnly(17, 0)), patched.Campaign.CallingWindow);

        await db.Campaigns.UpdateAsync(db.Tenant, created.Campaign.Id, new CampaignChanges { Name = "d" }, partial: false, Ct);
        Assert.Equal(2, db.Signal.Raised);
        Assert.Equal(CallingWindow.Default, (await db.Campaigns.FindAsync(db.Tenant, created.Campaign.Id, Ct)).CallingWindow);

        var invalid = await Assert.ThrowsAsync<ValidationException>(() => db.Campaigns.UpdateAsync(db.Tenant, created.Campaign.Id,
            new CampaignChanges { RetryCount = 101 }, partial: true, Ct));
        Assert.Equal("retryCount", invalid.Field);
        await Assert.ThrowsAsync<OperationException>(() => db.Campaigns.UpdateAsync(db.Tenant, Id32.New(), new CampaignChanges { Name = "x" }, partial: true, Ct));
        Assert.Equal(2, db.Signal.Raised);
    }

    [Fact]
    public async Task Changes_name_the_field_at_fault()
    {
        var basis = new Campaign { Id = Id32.New(), Name = "c" };
        Assert.Equal("rules.DIALING", Assert.Throws<ValidationException>(() =>
            new CampaignChanges { Rules = new Dictionary<CallResult, ResultRule?> { [CallResult.DIALING] = new(RuleAction.Final) } }.ApplyTo(basis, partial: true)).Field);
        Assert.Equal("rules.BUSY", Assert.Throws<ValidationException>(() =>
            new CampaignChanges { Rules = new Dictionary<CallResult, ResultRule?> { [CallResult.BUSY] = null } }.ApplyTo(basis, partial: true)).Field);
        Assert.Equal("endDate", Assert.Throws<ValidationException>(() =>
            new CampaignChanges { StartDate = OperationsDb.T0, EndDate = OperationsDb.T0 }.ApplyTo(basis, partial: true)).Field);
        Assert.Equal("abandonRate", Assert.Throws<ValidationException>(() =>
            new CampaignChanges { AbandonRate = CampaignChanges.MaxAbandonRate + 0.1 }.ApplyTo(basis, partial: true)).Field);
        Assert.Equal("callingWindow.start", Assert.Throws<ValidationException>(() =>
            new CampaignChanges { CallingWindow = new WindowText("9am", "17:00") }.ApplyTo(basis, partial: true)).Field);
        await Task.CompletedTask;
    }
}
