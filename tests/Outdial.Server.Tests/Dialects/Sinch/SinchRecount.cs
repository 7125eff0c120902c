namespace Outdial.Server.Tests.Dialects.Sinch;

/// <summary>OBI's call counters recounted from the attempt history read through the native API.</summary>
internal static class SinchRecount
{
    /// <summary>Every attempt of the records, with its result and agent.</summary>
    public static async Task<List<(string Result, string? Agent)>> AttemptsAsync(HttpClient client, IEnumerable<string> records)
    {
        var all = new List<(string, string?)>();
        foreach (var id in records)
            foreach (var a in (await Fixtures.Get(client, $"/api/v1/records/{id}/attempts")).EnumerateArray())
                all.Add((a.GetProperty("result").GetString()!, a.TryGetProperty("agentId", out var agent) ? agent.GetString() : null));
        return all;
    }

    public static void AssertCounters(JsonElement counters, List<(string Result, string? Agent)> attempts)
    {
        Assert.Equal(attempts.Count, counters.GetProperty("numberOfCalls").GetInt64());
        Assert.Equal(attempts.Count(a => a.Result is "SUCCESS" or "REFUSAL"), counters.GetProperty("numberOfSuccessfulCalls").GetInt64());
        Assert.Equal(attempts.Count(a => a.Result == "REFUSAL"), counters.GetProperty("numberOfRefusalCalls").GetInt64());
        Assert.Equal(attempts.Count(a => a.Result == "AGENT_REJECTED"), counters.GetProperty("numberOfRejectCalls").GetInt64());
        Assert.Equal(attempts.Count(a => a.Result == "SKIP"), counters.GetProperty("numberOfSkipCalls").GetInt64());
        Assert.Equal(attempts.Count(a => a.Result == "HANGUP"), counters.GetProperty("numberOfHangupCalls").GetInt64());
        Assert.Equal(attempts.Count(a => a.Result == "ABANDONED"), counters.GetProperty("numberOfAbandonedCalls").GetInt64());
    }
}
