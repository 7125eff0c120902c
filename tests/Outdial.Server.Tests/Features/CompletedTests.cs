using Microsoft.Data.Sqlite;

namespace Outdial.Server.Tests.Features;

public sealed class CompletedTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private void Close(long serial, long closedAtMs)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_factory.DataDir, "outdial.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE campaign_records SET state = 'CLOSED', app_state = 'CLOSED', result = 'SUCCESS', closed_at = $t WHERE record_id = $r";
        command.Parameters.AddWithValue("$t", closedAtMs);
        command.Parameters.AddWithValue("$r", serial);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private void Attempt(long serial, string e164, long startedMs, double talk, string agent)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_factory.DataDir, "outdial.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO attempts (uid, tenant_id, campaign_id, record_id, phone_index, e164, started, ended, result, talk_seconds, agent_id)
            SELECT lower(hex(randomblob(16))), r.tenant_id, cr.campaign_id, r.id, 0, $e164, $t, $t + 1000, 'NOANSWER', $talk, $agent
            FROM records r JOIN campaign_records cr ON cr.record_id = r.id WHERE r.id = $r
            """;
        command.Parameters.AddWithValue("$e164", e164);
        command.Parameters.AddWithValue("$t", startedMs);
        command.Parameters.AddWithValue("$talk", talk);
        command.Parameters.AddWithValue("$agent", agent);
        command.Parameters.AddWithValue("$r", serial);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    [Fact]
    public async Task Each_completed_record_carries_the_facts_of_its_last_attempt()
    {
        var client = _factory.Admin();
        var (c, _) = await Fixtures.Campaign(client);
        var a = (await Fixtures.Record(client, c, new { externalId = "A", numbers = "+447400000101;+447400000102" })).GetProperty("serial").GetInt64();
        var b = (await Fixtures.Record(client, c, new { externalId = "B", numbers = "+447400000103" })).GetProperty("serial").GetInt64();
        var n = (await Fixtures.Record(client, c, new { externalId = "N", numbers = "+447400000104" })).GetProperty("serial").GetInt64();
        var t = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        // Inserted out of time order: the last attempt is the latest started, not the latest inserted.
        Attempt(a, "+447400000102", t + 60_000, 42.5, "AGENT2");
        Attempt(a, "+447400000101", t, 10, "AGENT1");
        Attempt(a, "+447400000101", t + 30_000, 0, "AGENT1");
        Attempt(b, "+447400000103", t, 7, "AGENT3");
        Close(a, t + 70_000);
        Close(b, t + 70_000);
        Close(n, t + 70_000);

        var items = (await Fixtures.Get(client, $"/api/v1/campaigns/{c}/completed")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["A", "B", "N"], items.Select(i => i.GetProperty("record").GetProperty("externalId").GetString()));
        Assert.Equal(("+447400000102", 42.5, "AGENT2", 3L), Facts(items[0]));
        Assert.Equal(("+447400000103", 7.0, "AGENT3", 1L), Facts(items[1]));
        Assert.Equal((null, null, null, 0L), Facts(items[2]));

        static (string?, double?, string?, long) Facts(JsonElement item) => (
            item.TryGetProperty("lastPhone", out var phone) ? phone.GetString() : null,
            item.TryGetProperty("lastCallDuration", out var talk) ? talk.GetDouble() : null,
            item.TryGetProperty("lastAgent", out var agent) ? agent.GetString() : null,
            item.GetProperty("totalAttempts").GetInt64());
    }

    [Fact]
    public async Task Feed_pages_in_completion_order_without_skipping_or_repeating_same_millisecond_completions()
    {
        var client = _factory.Admin();
        var (c, _) = await Fixtures.Campaign(client);
        var serials = new List<long>();
        for (var i = 0; i < 9; i++)
            serials.Add((await Fixtures.Record(client, c, new { externalId = $"R{i}", numbers = $"+44740000010{i}" })).GetProperty("serial").GetInt64());
        // Completed out of record order, several in the same millisecond.
        var order = new[] { 5, 2, 8, 0, 7, 1, 3 };
        var t = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        foreach (var i in order) Close(serials[i], t + (i < 4 ? 0 : 1));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Fixtures.Get(client, $"/api/v1/campaigns/{c}/completed?limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("record").GetProperty("externalId").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        } while (cursor is not null);
        Assert.Equal(order.Select(i => $"R{i}"), seen);

        var later = await Fixtures.Get(client, $"/api/v1/campaigns/{c}/completed?since=2026-05-01T10:00:00.001Z");
        Assert.Equal(["R5", "R8", "R7"], later.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("record").GetProperty("externalId").GetString()));
        await HttpAssert.Problem(await client.GetAsync($"/api/v1/campaigns/{c}/completed?since=yesterday"), HttpStatusCode.BadRequest, "since");
        await HttpAssert.Problem(await client.GetAsync($"/api/v1/campaigns/{c}/completed?cursor=x"), HttpStatusCode.BadRequest, "cursor");
    }
}
