using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Outdial.Data.Sqlite;
using Outdial.Engine.Dialing;
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

    /// <summary>Runs a statement on the database file directly (an edit outside the store's API); returns the changed rows.</summary>
    public int Sql(string sql, params (string Name, object? Value)[] args)
    {
        using var connection = new SqliteConnection($"Data Source={Store.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; " + sql;
        foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }

    public long Scalar(string sql, params (string Name, object? Value)[] args)
    {
        using var connection = new SqliteConnection($"Data Source={Store.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in args) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private const string QueueOfProgress = """
        q.campaign_id = cr.campaign_id AND q.lane = (cr.app_state <> 'RECALL') AND q.priority = cr.priority
        AND q.base = coalesce(cr.next_eligible_at, 0) AND q.record_id = cr.record_id
        """;

    /// <summary>
    /// The pick queue mirrors campaign_records: one row per open progress row at the key the progress row gives, none
    /// without a progress row, and a closed record's row only while it is still leased.
    /// </summary>
    public void AssertDerivedConsistent()
    {
        Assert.Equal(0, Scalar($"SELECT count(*) FROM campaign_records cr WHERE cr.state <> 'CLOSED' AND NOT EXISTS (SELECT 1 FROM pick_queue q WHERE {QueueOfProgress})"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM pick_queue q WHERE NOT EXISTS (SELECT 1 FROM campaign_records cr WHERE {QueueOfProgress})"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM pick_queue q JOIN campaign_records cr ON {QueueOfProgress} WHERE cr.state = 'CLOSED' AND q.lease_owner IS NULL"));
        Assert.Equal(0, Scalar("SELECT count(*) FROM pick_queue WHERE lease_owner IS NULL AND attempt_id IS NOT NULL"));
        // The tallies equal a recount of the progress rows.
        const string recount = """
            SELECT campaign_id, state, app_state = 'RECALL', coalesce('=' || result, ''), coalesce('=' || call_result, ''),
                   coalesce('=' || classifier, ''), call_count, count(*)
            FROM campaign_records GROUP BY 1, 2, 3, 4, 5, 6, 7
            """;
        const string tallies = "SELECT campaign_id, state, recall, result, call_result, classifier, call_count, n FROM campaign_tallies WHERE n <> 0";
        Assert.Equal(0, Scalar($"SELECT count(*) FROM ({recount} EXCEPT {tallies})"));
        Assert.Equal(0, Scalar($"SELECT count(*) FROM ({tallies} EXCEPT {recount})"));
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
