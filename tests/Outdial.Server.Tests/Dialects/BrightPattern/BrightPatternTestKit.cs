using Microsoft.Data.Sqlite;

namespace Outdial.Server.Tests.Dialects.BrightPattern;

/// <summary>Requests to getCompleted, the dialect's error shape, and records closed in the store at chosen times.</summary>
internal static class BrightPatternTestKit
{
    public static string Url(string list, string campaign, string tenant = "default") =>
        $"/admin/ws/t/{Uri.EscapeDataString(tenant)}/callinglist/getCompleted/{Uri.EscapeDataString(list)}/{Uri.EscapeDataString(campaign)}";

    public static Task<HttpResponseMessage> Post(HttpClient client, string url, string body) =>
        client.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"));

    public static async Task<List<JsonElement>> Completed(HttpClient client, string url, string body)
    {
        var response = await Post(client, url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return [.. JsonDocument.Parse(text).RootElement.EnumerateArray()];
    }

    /// <summary>Asserts the dialect's error <c>{"status", "error", "message"}</c> with the status and words of the message.</summary>
    public static async Task<string> Error(HttpResponseMessage response, HttpStatusCode status, string? contains = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("error").GetString()));
        var message = json.GetProperty("message").GetString()!;
        if (contains is not null) Assert.Contains(contains, message, StringComparison.OrdinalIgnoreCase);
        return message;
    }

    /// <summary>Closes a record's progress as the dial cycle does (state and closing time in one update, through the
    /// completion trigger), at a chosen time.</summary>
    public static void Close(OutdialFactory factory, long serial, DateTimeOffset at, string result = "SUCCESS")
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(factory.DataDir, "outdial.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE campaign_records SET state = 'CLOSED', app_state = 'CLOSED', result = $result, closed_at = $t WHERE record_id = $r";
        command.Parameters.AddWithValue("$t", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$r", serial);
        command.Parameters.AddWithValue("$result", result);
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
