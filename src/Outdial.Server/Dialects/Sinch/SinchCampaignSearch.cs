using System.Globalization;
using Outdial.Engine.Operations;
using Outdial.Engine.Records;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>GET /campaigns' query: field filters (<c>*</c> and <c>?</c> except on ids), time ranges and the statistics options.</summary>
internal sealed class SinchCampaignSearch
{
    private readonly List<Func<SinchCampaign, bool>> _filters = [];

    public bool Statistics { get; private init; }
    public DateOnly? StatisticsDate { get; private init; }
    public IReadOnlyList<string>? AgentIds { get; private init; }

    public bool Matches(SinchCampaign campaign) => _filters.TrueForAll(f => f(campaign));

    private static readonly Dictionary<string, Func<SinchCampaign, string?>> Patterns = new(StringComparer.Ordinal)
    {
        ["name"] = c => c.Name,
        ["dialerName"] = c => c.DialerName,
        ["dialingMode"] = c => c.DialingMode?.ToString(),
        ["dialerStatus"] = c => c.DialerStatus?.ToString(),
        ["queueName"] = c => c.QueueName,
        ["customIvrNumber"] = c => c.CustomIvrNumber,
        ["total"] = c => Text(c.Total),
        ["handled"] = c => Text(c.Handled),
        ["maxCalls"] = c => Text(c.MaxCalls),
        ["filtered"] = c => Text(c.Filtered),
        ["timeZone"] = c => c.TimeZone,
    };

    private static readonly Dictionary<string, Func<SinchCampaign, string?>> Ids = new(StringComparer.Ordinal)
    {
        ["dialerId"] = c => c.DialerId,
        ["queueId"] = c => c.QueueId,
    };

    private static readonly Dictionary<string, Func<SinchCampaign, DateTimeOffset?>> Times = new(StringComparer.Ordinal)
    {
        ["startDate"] = c => c.StartDate,
        ["endDate"] = c => c.EndDate,
        ["registered"] = c => c.Registered,
    };

    public static SinchCampaignSearch Parse(IQueryCollection query, bool filters)
    {
        var statistics = SinchQuery.Flag(query, "statistics");
        var search = new SinchCampaignSearch
        {
            Statistics = statistics,
            StatisticsDate = One(query, "statisticsDate") is { } day ? NeedsStatistics(statistics, "statisticsDate", SinchQuery.Day(day, "statisticsDate")) : null,
            AgentIds = One(query, "agentId") is { } agents ? NeedsStatistics(statistics, "agentId", SinchIds.ParseList(agents, "agentId")) : null,
        };
        foreach (var key in query.Keys)
        {
            var value = One(query, key)!;
            if (key is "statistics" or "statisticsDate" or "agentId") continue;
            if (!filters) throw new ValidationException($"unknown parameter '{key}': a single campaign takes statistics, statisticsDate and agentId", key);
            if (Patterns.TryGetValue(key, out var field))
            {
                SinchQuery.CheckPattern(key, value);
                search._filters.Add(c => field(c) is { } v && SearchPattern.Matches(value, v));
            }
            else if (key == "status")
            {
                // The cloud version takes a comma list: any of them.
                var any = value.Split(',', StringSplitOptions.TrimEntries);
                foreach (var p in any) SinchQuery.CheckPattern(key, p);
                search._filters.Add(c => c.Status?.ToString() is { } s && any.Any(p => SearchPattern.Matches(p, s)));
            }
            else if (Ids.TryGetValue(key, out var idField))
            {
                var id = SinchIds.Parse(value, key);
                search._filters.Add(c => idField(c) == id);
            }
            else if (Times.TryGetValue(key.EndsWith("End", StringComparison.Ordinal) ? key[..^3] : key, out var time))
            {
                var at = SinchQuery.Time(value, key);
                search._filters.Add(key.EndsWith("End", StringComparison.Ordinal)
                    ? c => time(c) is { } t && t <= at
                    : c => time(c) is { } t && t >= at);
            }
            else
            {
                throw new ValidationException($"unknown search field '{key}'; valid: {string.Join(", ", Patterns.Keys.Concat(["status"]).Concat(Ids.Keys))}, " +
                    $"{string.Join(", ", Times.Keys.SelectMany(t => new[] { t, t + "End" }))}, statistics, statisticsDate, agentId", key);
            }
        }
        return search;
    }

    private static T NeedsStatistics<T>(bool statistics, string key, T value) =>
        statistics ? value : throw new ValidationException($"'{key}' needs statistics=true", key);

    private static string? One(IQueryCollection query, string key) => SinchQuery.One(query, key);

    private static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
