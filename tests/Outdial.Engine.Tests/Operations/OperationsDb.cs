using Microsoft.Extensions.Time.Testing;
using Outdial.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Records;

namespace Outdial.Engine.Tests.Operations;

/// <summary>The operations over a fresh SQLite file with one tenant (and, from <see cref="CreateWithCampaignAsync"/>, one
/// Active campaign with its default list), on a fake clock.</summary>
public sealed class OperationsDb : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private OperationsDb()
    {
        Directory.CreateDirectory(Dir);
        Store = new SqliteStore(Path.Combine(Dir, "outdial.db"), Time);
        Campaigns = new CampaignOperations(Store, Time, Signal);
        Records = new RecordOperations(Store);
    }

    /// <summary>A directory of this database's own, also for spooled files.</summary>
    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "outdial-engine-tests", Guid.NewGuid().ToString("N"));
    public FakeTimeProvider Time { get; } = new(T0);
    public ReevaluationSignal Signal { get; } = new();
    public SqliteStore Store { get; }
    public CampaignOperations Campaigns { get; }
    public RecordOperations Records { get; }
    public long Tenant { get; private set; }
    public Campaign Campaign { get; private set; } = null!;

    public static async Task<OperationsDb> CreateAsync()
    {
        var db = new OperationsDb();
        await db.Store.MigrateAsync(CancellationToken.None);
        db.Tenant = await db.Store.EnsureTenantAsync("t1", CancellationToken.None);
        return db;
    }

    public static async Task<OperationsDb> CreateWithCampaignAsync(string? campaignRegion = null)
    {
        var db = await CreateAsync();
        db.Campaign = await db.Store.CreateCampaignAsync(db.Tenant, new Campaign
        {
            Id = Id32.New(),
            Name = "operations",
            Status = CampaignStatus.Active,
            TimeZone = "UTC",
            CallingWindow = new CallingWindow(TimeOnly.MinValue, TimeOnly.MinValue),
            DefaultRegion = campaignRegion,
            Registered = T0,
            Modified = T0,
        }, CancellationToken.None);
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
