using System.Globalization;
using Outdial.Engine.Operations;
using Outdial.Engine.Records;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>Query values as the document writes them; a malformed one is a 400 naming the parameter.</summary>
internal static class SinchQuery
{
    public static string? One(IQueryCollection query, string key)
    {
        var values = query[key];
        if (values.Count > 1) throw new ValidationException($"'{key}' is given more than once", key);
        return values.Count == 0 ? null : values[0];
    }

    /// <summary>A true/false parameter: absent is false; anything else but true or false is a 400 (a misspelt 'yes' is not 'no').</summary>
    public static bool Flag(IQueryCollection query, string key) => One(query, key) switch
    {
        null or "false" => false,
        "true" => true,
        var other => throw new ValidationException($"'{key}' must be true or false, got '{other}'", key),
    };

    public static void CheckPattern(string key, string pattern)
    {
        if (SearchPattern.Check(pattern) is { } problem) throw new ValidationException($"'{key}': {problem}", key);
    }

    public static DateTimeOffset Time(string value, string key) =>
        SinchWire.Parse(value) ?? throw new ValidationException($"'{key}' must be an ISO 8601 UTC time such as 2020-06-29T12:00:00.000Z, got '{value}'", key);

    /// <summary>A whole UTC day, as the document sends it (2023-05-16T00:00:00Z); a plain date is taken too.</summary>
    public static DateOnly Day(string value, string key)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        var time = Time(value, key);
        return time.TimeOfDay == TimeSpan.Zero
            ? DateOnly.FromDateTime(time.UtcDateTime)
            : throw new ValidationException($"'{key}' must be a whole UTC day (hours, minutes and seconds 0): statistics are kept per UTC day, got '{value}'", key);
    }

    public static int Int(IQueryCollection query, string key, int fallback, int min, int max)
    {
        if (One(query, key) is not { } text) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new ValidationException($"'{key}' must be an integer between {min} and {max}, got '{text}'", key);
    }
}
