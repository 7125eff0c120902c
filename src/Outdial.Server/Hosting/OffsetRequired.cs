using System.Text.Json;
using System.Text.Json.Serialization;

namespace Outdial.Server.Hosting;

/// <summary>A time that must say which instant it is: "2026-03-02T14:28:41" without Z or an offset would otherwise be
/// read in the server's own time zone, which the caller cannot know (a callback an hour early or late).</summary>
internal sealed class OffsetRequired : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var value))
            throw new JsonException("must be an ISO 8601 date and time with Z or a UTC offset, e.g. 2026-03-02T14:30:00+01:00");
        var text = reader.GetString()!;
        var time = text.IndexOfAny(['T', 't']);
        if (time < 0 || text.AsSpan(time).IndexOfAny("Zz+-") < 0)
            throw new JsonException("needs Z or a UTC offset (e.g. 2026-03-02T14:30:00Z or +01:00): without one the time is ambiguous");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
