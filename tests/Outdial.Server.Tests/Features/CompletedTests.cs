using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Outdial.Server.Tests.Infrastructure;

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
