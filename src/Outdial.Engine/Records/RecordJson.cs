using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Outdial.Engine.Domain;

namespace Outdial.Engine.Records;

/// <summary>The JSON form in which stores keep a record's numbers and attributes (SQLite text, PostgreSQL jsonb).</summary>
/// <remarks>Writing is hand-rolled on <see cref="Utf8JsonWriter"/>: it runs once per imported row and the reflection
/// serializer was the largest cost after number parsing. Reading uses the serializer with the same names.</remarks>
public static class RecordJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    private static string Write<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string Phones(IReadOnlyList<RecordPhone> phones) => Write(phones, static (w, list) =>
    {
        w.WriteStartArray();
        foreach (var p in list)
        {
            w.WriteStartObject();
            w.WriteString("raw", p.Raw);
            if (p.E164 is not null) w.WriteString("e164", p.E164);
            if (p.Region is not null) w.WriteString("region", p.Region);
            if (p.NumberType is not null) w.WriteString("numberType", p.NumberType);
            if (p.TimeZones.Count > 0)
            {
                w.WriteStartArray("timeZones");
                foreach (var z in p.TimeZones) w.WriteStringValue(z);
                w.WriteEndArray();
            }
            if (p.Invalid) w.WriteBoolean("invalid", true);
            if (p.InvalidReason is not null) w.WriteString("invalidReason", p.InvalidReason);
            if (p.Tries != 0) w.WriteNumber("tries", p.Tries);
            if (p.TriesToday != 0) w.WriteNumber("triesToday", p.TriesToday);
            if (p.LastTry is { } last) w.WriteString("lastTry", last);
            if (p.NextTry is { } next) w.WriteString("nextTry", next);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    public static string Attributes(IReadOnlyList<RecordAttribute> attributes) => Write(attributes, static (w, list) =>
    {
        w.WriteStartArray();
        foreach (var a in list)
        {
            w.WriteStartObject();
            w.WriteString("name", a.Name);
            w.WriteString("value", a.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    public static RecordPhone[] ReadPhones(string json) => JsonSerializer.Deserialize<RecordPhone[]>(json, Options)!;

    public static RecordAttribute[] ReadAttributes(string json) => JsonSerializer.Deserialize<RecordAttribute[]>(json, Options)!;
}
