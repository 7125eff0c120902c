using Microsoft.Extensions.Time.Testing;
using Outdial.Data.Sqlite;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Records;

namespace Outdial.Engine.Tests.Operations;

/// <summary>The operations over a fresh SQLite file with one tenant, on a fake clock.</summary>
public sealed class OperationsDb : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "outdial-engine-tests", Guid.NewGuid().ToString("N"));

    private OperationsDb()
    {
        Store = new SqliteStore(Path.Combine(_dir, "outdial.db"), Time);
        Campaigns = new CampaignOperations(Store, Time, Signal);
        Records = new RecordOperations(Store);
    }

    public FakeTimeProvider Time { get; } = new(T0);
    public ReevaluationSignal Signal { get; } = new();
    public SqliteStore Store { get; }
    public CampaignOperations Campaigns { get; }
    public RecordOperations Records { get; }
    public long Tenant { get; private set; }

    public static async Task<OperationsDb> CreateAsync()
    {
        var db = new OperationsDb();
        await db.Store.MigrateAsync(CancellationToken.None);
        db.Tenant = await db.Store.EnsureTenantAsync("t1", CancellationToken.None);
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
