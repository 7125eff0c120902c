using Microsoft.Extensions.Time.Testing;
using Outdial.Data.Sqlite;
using Outdial.Engine.Domain;

namespace Outdial.Engine.Tests.Operations;

/// <summary>A fresh SQLite store with one tenant and one Active campaign (with its default list), on a fake clock.</summary>
internal sealed class ImportOperationsDb : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private ImportOperationsDb(string dir)
    {
        Dir = dir;
        Store = new SqliteStore(Path.Combine(dir, "outdial.db"), Time);
    }

    /// <summary>A directory of this database's own, for spooled files.</summary>
    public string Dir { get; }
    public FakeTimeProvider Time { get; } = new(T0);
    public SqliteStore Store { get; }
    public long Tenant { get; private set; }
    public Campaign Campaign { get; private set; } = null!;

    public static async Task<ImportOperationsDb> CreateAsync(string? campaignRegion = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "outdial-engine-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var db = new ImportOperationsDb(dir);
        await db.Store.MigrateAsync(CancellationToken.None);
        db.Tenant = await db.Store.EnsureTenantAsync("t1", CancellationToken.None);
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
