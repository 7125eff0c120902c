using Microsoft.Extensions.Time.Testing;
using Outdial.Data.Sqlite;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Data.Tests.Sqlite;

/// <summary>A fresh SQLite file with one tenant and one Active campaign callable all day in UTC.</summary>
public sealed class DialingDb : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "outdial-data-tests", Guid.NewGuid().ToString("N"));

    private DialingDb(FakeTimeProvider time)
    {
        Time = time;
        Store = new SqliteStore(Path.Combine(_dir, "outdial.db"), time);
    }

    public FakeTimeProvider Time { get; }
    public SqliteStore Store { get; }
    public long Tenant { get; private set; }
    public Campaign Campaign { get; private set; } = null!;
    public DateTimeOffset Now => Time.GetUtcNow();

    public static async Task<DialingDb> CreateAsync(Func<Campaign, Campaign>? configure = null)
    {
        var db = new DialingDb(new FakeTimeProvider(T0));
        await db.Store.MigrateAsync(Ct);
        db.Tenant = await db.Store.EnsureTenantAsync("t1", Ct);
        var campaign = new Campaign
        {
            Id = Id32.New(),
            Name = "dialing",
            Status = CampaignStatus.Active,
            TimeZone = "UTC",
            CallingWindow = new CallingWindow(TimeOnly.MinValue, TimeOnly.MinValue),
            Registered = T0,
            Modified = T0,
        };
        db.Campaign = await db.Store.CreateCampaignAsync(db.Tenant, configure?.Invoke(campaign) ?? campaign, Ct);
        return db;
    }

    /// <summary>Adds records with one number each (+1555 0100 000 + n); returns their serials in order.</summary>
    public async Task<List<long>> AddRecordsAsync(int count, Func<int, int>? priority = null, int firstNumber = 0)
    {
        await using var writer = (await Store.BeginRecordWriteAsync(Tenant, Campaign.DefaultListId!, DuplicatePolicy.reject, null, Ct))!;
        var serials = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            var e164 = Number(firstNumber + i);
            var outcome = writer.Write(new RecordDraft
            {
                ExternalId = $"x{firstNumber + i}",
                Phones = [new RecordPhone { Raw = e164, E164 = e164 }],
                Priority = priority?.Invoke(i) ?? 0,
            });
            Assert.Equal(RowStatus.Created, outcome.Status);
            serials.Add(outcome.Serial);
        }
        await writer.CommitAsync(Ct);
        return serials;
    }

    public static string Number(int n) => $"+1555{n:D7}";

    public Task<IReadOnlyList<ClaimedRecord>> ClaimAsync(int max, string owner = "dialer-1", TimeSpan? leaseFor = null) =>
        Store.ClaimCallableAsync(Tenant, Campaign.Id, max, owner, leaseFor ?? TimeSpan.FromMinutes(5), Now, Ct);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
