using Outdial.Engine.Domain;
using Outdial.Engine.Phones;

namespace Outdial.Engine.Operations;

/// <summary>Field checks shared by the native API; each failure names the field.</summary>
public static class Validate
{
    public static string Name(string? value, string field, int max = 200)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed)) throw new ValidationException($"'{field}' is required", field);
        if (trimmed.Length > max) throw new ValidationException($"'{field}' is longer than {max} characters", field);
        return trimmed;
    }

    public static string? Optional(string? value, string field, int max = Limits.MaxFieldLength)
    {
        if (value is null) return null;
        if (value.Length > max) throw new ValidationException($"'{field}' is longer than {max} characters", field);
        return value;
    }

    public static string? Region(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var region = value.Trim().ToUpperInvariant();
        if (!PhoneNormalizer.IsKnownRegion(region)) throw new ValidationException($"'{field}': '{value}' is not a known ISO 3166 region code", field);
        return region;
    }

    public static string? TimeZone(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(value.Trim()) is null)
            throw new ValidationException($"'{field}': '{value}' is not an IANA time zone (e.g. Europe/Berlin)", field);
        return value.Trim();
    }

    public static string Id(string? value, string field) =>
        Id32.TryNormalize(value, out var id) ? id : throw new ValidationException($"'{field}': '{value}' is not an id32 or id36 identifier", field);

    /// <summary>Dates must be real calendar instants the store can hold (years 1900 to 9999).</summary>
    public static DateTimeOffset? Date(DateTimeOffset? value, string field)
    {
        if (value is { } v && (v.UtcDateTime.Year < 1900 || v.UtcDateTime.Year > 9999))
            throw new ValidationException($"'{field}': {v:O} is out of range (1900 to 9999)", field);
        return value;
    }
}
