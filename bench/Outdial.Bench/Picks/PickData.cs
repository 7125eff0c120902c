using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Outdial.Data.Sqlite;
using Outdial.Engine.Domain;

namespace Outdial.Bench.Picks;

/// <summary>Builds a campaign of N records straight into SQLite (one transaction, prepared inserts), deterministic for a given N.</summary>
/// <remarks>
/// Mix: 8 time zones (at <see cref="Now"/> two of them are outside the 08:00-21:00 window); priority 0 (90 %), 1 (8 %), 5 (2 %);
/// 60 % new, 25 % retries (1-3 calls, due within +-2 h), 5 % callbacks (due within +-1 h), 10 % closed.
/// With <c>fixedBacklog</c> the retries and callbacks due now are as many at every size as at 1,000,000 records (their
/// due times start as long ago, and spread further into the future): the same pick mix at every size.
/// </remarks>
internal static class PickData
{
    /// <summary>The bench's wall clock start: 18:00 UTC, so New York to Los Angeles and Europe are open, Tokyo and Sydney not.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 4, 18, 0, 0, TimeSpan.Zero);

    private static readonly string[] Zones =
        ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Europe/Berlin", "Europe/London", "Asia/Tokyo", "Australia/Sydney"];

    /// <summary>Writes the campaign to <paramref name="target"/>; a run cut short leaves no file there.</summary>
    public static async Task GenerateAsync(string target, int records, bool fixedBacklog, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var path = target + ".partial";
        File.Delete(path);
        await using (var store = new SqliteStore(path, TimeProvider.System))
        {
            await store.MigrateAsync(ct);
            var tenant = await store.EnsureTenantAsync("bench", ct);
            await store.CreateCampaignAsync(tenant, new Campaign
            {
                Id = "B0000000000000000000000000000001",
                Name = "picks",
                Status = CampaignStatus.Active,
                TimeZone = "America/New_York",
                Registered = Now.AddDays(-7),
                Modified = Now.AddDays(-7),
            }, ct);
        }
        SqliteConnection.ClearAllPools();

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(ct);
        Exec(connection, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;");
        var list = (long)Scalar(connection, "SELECT default_list_id FROM campaigns")!;
        var campaign = (long)Scalar(connection, "SELECT id FROM campaigns")!;
        using var tx = connection.BeginTransaction();
        using var insertRecord = Prepare(connection, tx, """
            INSERT INTO records (id, uid, tenant_id, list_id, external_id, time_zone, priority, numbers, phones, attributes, created, modified)
            VALUES ($id, $uid, 1, $list, $ext, $tz, $prio, $num, $phones, '[]', $created, $created)
            """);
        using var insertProgress = Prepare(connection, tx, """
            INSERT INTO campaign_records (campaign_id, record_id, state, app_state, result, call_result, call_count, scheduled_at, modified,
                                          next_eligible_at, priority)
            VALUES ($campaign, $id, $state, $app, $result, $result, $calls, $sched, $created, $next, $prio)
            """);
        var random = new Random(records);
        // Seconds of the due windows after now: +2 h / +1 h, or stretched by the size for a fixed backlog.
        var scale = fixedBacklog ? Math.Max(1, records / 1_000_000.0) : 1;
        var retryAhead = (int)((4 * 3600 * scale) - 7200);
        var callbackAhead = (int)((2 * 3600 * scale) - 3600);
        var nowMs = Now.ToUnixTimeMilliseconds();
        var created = Now.AddDays(-3).ToUnixTimeMilliseconds();
        for (var i = 1; i <= records; i++)
        {
            var e164 = "+1" + (2000000000L + i).ToString(CultureInfo.InvariantCulture);
            var prio = random.Next(100) switch { < 90 => 0, < 98 => 1, _ => 5 };
            var kind = random.Next(100);
            var calls = kind is >= 60 and < 85 ? random.Next(1, 4) : kind >= 85 && kind < 90 ? 1 : 0;
            var lastTry = calls > 0 ? nowMs - random.Next(1, 48) * 3_600_000L : (long?)null;
            var phones = lastTry is { } t
                ? $$"""[{"raw":"{{e164}}","e164":"{{e164}}","tries":{{calls}},"triesToday":1,"lastTry":"{{DateTimeOffset.FromUnixTimeMilliseconds(t):O}}"}]"""
                : $$"""[{"raw":"{{e164}}","e164":"{{e164}}"}]""";
            Set(insertRecord, i, Id32.New(), list, i.ToString("D10", CultureInfo.InvariantCulture), Zones[random.Next(Zones.Length)], prio, e164, phones, created);
            Exec(insertRecord);

            (string State, string App, string? Result, long? Sched) p = kind switch
            {
                < 60 => ("OPEN", "NEW", null, null),
                < 85 => ("OPEN", "RETRY", "NOANSWER", nowMs + random.Next(-7200, retryAhead) * 1000L),
                < 90 => ("OPEN", "RECALL", "HANGUP", nowMs + random.Next(-3600, callbackAhead) * 1000L),
                _ => ("CLOSED", "CLOSED", "SUCCESS", null),
            };
            Set(insertProgress, campaign, i, p.State, p.App, p.Result, calls, p.Sched, created, p.Sched, prio);
            Exec(insertProgress);
        }
        using (var queue = Prepare(connection, tx, SqliteStore.QueueNewProgress("1"))) Exec(queue); // as the record writer does
        // The rows were inserted with their states already set: counted as migration 0014 counts existing rows.
        using (var tallies = Prepare(connection, tx, """
            INSERT INTO campaign_tallies (campaign_id, state, recall, result, call_result, classifier, call_count, n)
            SELECT campaign_id, state, app_state = 'RECALL', coalesce('=' || result, ''), coalesce('=' || call_result, ''),
                   coalesce('=' || classifier, ''), call_count, count(*)
            FROM campaign_records GROUP BY 1, 2, 3, 4, 5, 6, 7
            """)) Exec(tallies);
        tx.Commit();
        Exec(connection, "PRAGMA journal_mode=WAL; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
        await connection.CloseAsync();
        File.Move(path, target);
        Console.WriteLine($"generated {records:N0} records in {clock.Elapsed.TotalSeconds:F1} s ({new FileInfo(target).Length / 1e9:F2} GB)");
    }

    private static SqliteCommand Prepare(SqliteConnection c, SqliteTransaction tx, string sql)
    {
        var command = c.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z]+"))
        {
            if (!command.Parameters.Contains(m.Value)) command.Parameters.Add(new SqliteParameter(m.Value, null));
        }
        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private static void Exec(SqliteCommand command) => command.ExecuteNonQuery();

    private static void Exec(SqliteConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
