using Microsoft.Extensions.Time.Testing;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Contract;

/// <summary>What every contract class starts from: a fresh empty store per test on a fake clock, and two tenants.</summary>
public abstract class StoreContract<TFixture> : IAsyncLifetime where TFixture : StoreFixture, new()
{
    protected static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    protected static readonly CancellationToken Ct = CancellationToken.None;

    protected TFixture Fixture { get; } = new();
    protected FakeTimeProvider Time { get; } = new(T0);
    protected IStore Store { get; private set; } = null!;
    protected long TenantA { get; private set; }
    protected long TenantB { get; private set; }
    protected DateTimeOffset Now => Time.GetUtcNow();

    public async Task InitializeAsync()
    {
        Store = await Fixture.OpenAsync(Time, Ct);
        TenantA = await Store.EnsureTenantAsync("tenant-a", Ct);
        TenantB = await Store.EnsureTenantAsync("tenant-b", Ct);
    }

    public async Task DisposeAsync() => await Fixture.DisposeAsync();

    /// <summary>An Active campaign callable all day in UTC (with its default list).</summary>
    protected Task<Campaign> CampaignAsync(long tenant, string name = "campaign", Func<Campaign, Campaign>? configure = null)
    {
        var campaign = new Campaign
        {
            Id = Id32.New(),
            Name = name,
            Status = CampaignStatus.Active,
            TimeZone = "UTC",
            CallingWindow = new CallingWindow(TimeOnly.MinValue, TimeOnly.MinValue),
            Registered = T0,
            Modified = T0,
        };
        return Store.CreateCampaignAsync(tenant, configure?.Invoke(campaign) ?? campaign, Ct);
    }

    protected async Task<CallingList> ListAsync(long tenant, string name)
    {
        var list = new CallingList(Id32.New(), name, null, T0);
        await Store.CreateCallingListAsync(tenant, list, Ct);
        return list;
    }

    public static string Number(int n) => $"+1555{n:D7}";

    /// <summary>A record with one number (<see cref="Number"/>).</summary>
    protected static RecordDraft Draft(string? externalId, int number, int priority = 0, bool locked = false) => new()
    {
        ExternalId = externalId,
        Phones = [new RecordPhone { Raw = Number(number), E164 = Number(number) }],
        Priority = priority,
        Locked = locked,
    };

    /// <summary>Writes the drafts in one committed session; returns each row's outcome.</summary>
    protected async Task<List<RowOutcome>> WriteAsync(long tenant, string listId, DuplicatePolicy duplicates, params RecordDraft[] drafts)
    {
        await using var writer = await Store.BeginRecordWriteAsync(tenant, listId, duplicates, null, Ct)
            ?? throw new InvalidOperationException($"no list {listId} in tenant {tenant}");
        var outcomes = drafts.Select(writer.Write).ToList();
        await writer.CommitAsync(Ct);
        return outcomes;
    }

    /// <summary>Adds <paramref name="count"/> records x{first}.. with numbers <see cref="Number"/>(first..); returns their serials.</summary>
    protected async Task<List<long>> RecordsAsync(long tenant, string listId, int count, int first = 0)
    {
        var outcomes = await WriteAsync(tenant, listId, DuplicatePolicy.reject,
            Enumerable.Range(first, count).Select(i => Draft($"x{i}", i)).ToArray());
        Assert.All(outcomes, o => Assert.Equal(RowStatus.Created, o.Status));
        return outcomes.Select(o => o.Serial).ToList();
    }
}
