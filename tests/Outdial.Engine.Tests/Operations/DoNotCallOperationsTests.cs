using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.DoNotCall;

namespace Outdial.Engine.Tests.Operations;

/// <summary>The do-not-call operation's checks, and the re-evaluation it must start itself after a change.</summary>
public sealed class DoNotCallOperationsTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Removing_an_entry_records_a_reevaluation_and_wakes_the_worker()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var signal = new ReevaluationSignal();
        var dnc = new DoNotCallOperations(db.Store, signal, db.Time);
        var entry = await dnc.AddAsync(db.Tenant, new DncRequest("+447400100001", db.Campaign.Id), Ct);
        signal.TryTake(); // the add's own wake-up
        Assert.Null(await db.Store.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct));

        await dnc.RemoveAsync(db.Tenant, entry.Id, Ct);

        Assert.True(signal.WaitAsync(Ct).IsCompleted, "the removal did not wake the re-evaluation worker");
        Assert.True(signal.TryTake());
        Assert.NotNull(await db.Store.GetPendingReevaluationAsync(db.Tenant, db.Campaign.Id, Ct));
        await Assert.ThrowsAsync<OperationException>(() => dnc.GetAsync(db.Tenant, entry.Id, Ct));
    }

    [Fact]
    public async Task Removing_an_unknown_entry_is_not_found_and_wakes_nothing()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var signal = new ReevaluationSignal();
        var dnc = new DoNotCallOperations(db.Store, signal, db.Time);

        var error = await Assert.ThrowsAsync<OperationException>(() => dnc.RemoveAsync(db.Tenant, Id32.New(), Ct));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.False(signal.TryTake());
    }

    [Theory]
    [InlineData(null, null, null, "number")]
    [InlineData("12", null, null, "number")]
    [InlineData("01632 960001", "XX", null, "country")]
    [InlineData("+447400100001", null, "not-an-id", "campaignId")]
    public async Task An_invalid_entry_names_its_field_and_stores_nothing(string? number, string? country, string? campaign, string field)
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var dnc = new DoNotCallOperations(db.Store, new ReevaluationSignal(), db.Time);

        var error = await Assert.ThrowsAsync<ValidationException>(() => dnc.AddAsync(db.Tenant, new DncRequest(number, campaign, Country: country), Ct));

        Assert.Equal(field, error.Field);
        Assert.Empty(await dnc.ListAsync(db.Tenant, null, null, null, null, Ct));
    }

    [Fact]
    public async Task An_entry_that_ends_now_or_earlier_is_refused()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var dnc = new DoNotCallOperations(db.Store, new ReevaluationSignal(), db.Time);

        var error = await Assert.ThrowsAsync<ValidationException>(() => dnc.AddAsync(db.Tenant, new DncRequest("+447400100001", Expires: db.Time.GetUtcNow()), Ct));
        Assert.Equal("expires", error.Field);
        var later = await dnc.AddAsync(db.Tenant, new DncRequest("+447400100001", Expires: db.Time.GetUtcNow().AddTicks(1)), Ct);
        Assert.Equal("+447400100001", later.E164);
    }

    [Fact]
    public async Task A_bulk_upload_answers_every_row_in_order_each_failing_alone_and_wakes_the_worker()
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var signal = new ReevaluationSignal();
        var dnc = new DoNotCallOperations(db.Store, signal, db.Time);
        DncRow[] rows =
        [
            new(new DncRequest("+447400100001"), null),
            new(null, "each entry must be a JSON object"),
            new(new DncRequest("nonsense"), null),
            new(new DncRequest("+447400100002", Id32.New()), null), // a campaign the tenant does not have
            new(new DncRequest("+447400100001"), null), // the same number again: the entry is updated
        ];

        var results = await dnc.ImportAsync(db.Tenant, rows, Ct);

        Assert.Equal([201, 400, 400, 422, 200], results.Select(r => r.StatusCode));
        Assert.Equal("each entry must be a JSON object", results[1].Error);
        Assert.Equal(results[0].Id, results[4].Id);
        Assert.True(signal.TryTake());
    }

    [Theory]
    [InlineData(0, null, "limit")]
    [InlineData(1001, null, "limit")]
    [InlineData(10, -1, "offset")]
    public async Task A_page_out_of_range_names_the_parameter(int limit, int? offset, string field)
    {
        await using var db = await OperationsDb.CreateWithCampaignAsync();
        var dnc = new DoNotCallOperations(db.Store, new ReevaluationSignal(), db.Time);

        var error = await Assert.ThrowsAsync<ValidationException>(() => dnc.ListAsync(db.Tenant, null, null, offset, limit, Ct));

        Assert.Equal(field, error.Field);
    }
}
