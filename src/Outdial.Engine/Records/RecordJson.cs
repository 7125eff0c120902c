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

    // Relaxed escaping: stored JSON is never embedded in HTML; non-Latin names stay as UTF-8 (smaller, and no per-char escaping).
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>Writes into a per-thread buffer and writer (both reused: this runs for every imported row).</summary>
    private static ReadOnlySpan<byte> WriteUtf8<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        write(writer, value);
        writer.Flush();
        return buffer.WrittenSpan;
    }

    public static string Phones(IReadOnlyList<RecordPhone> phones) => Encoding.UTF8.GetString(WriteUtf8(phones, WritePhones));

    public static string Attributes(IReadOnlyList<RecordAttribute> attributes) => Encoding.UTF8.GetString(WriteUtf8(attributes, WriteAttributes));

    /// <summary>The stored form as UTF-8, what a store binds without transcoding.</summary>
    public static byte[] PhonesUtf8(IReadOnlyList<RecordPhone> phones) => WriteUtf8(phones, WritePhones).ToArray();

    public static byte[] AttributesUtf8(IReadOnlyList<RecordAttribute> attributes) => WriteUtf8(attributes, WriteAttributes).ToArray();

    private static readonly Action<Utf8JsonWriter, IReadOnlyList<RecordPhone>> WritePhones = static (w, list) =>
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
    };

    private static readonly Action<Utf8JsonWriter, IReadOnlyList<RecordAttribute>> WriteAttributes = static (w, list) =>
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
    };

    /// <summary>Reads what <see cref="Phones"/> wrote (a page of records reads one per row: by hand on
    /// <see cref="Utf8JsonReader"/>, as the writer; the serializer's per-object work was a fifth of a record page).
    /// Names unknown here are skipped, null values leave the default.</summary>
    public static RecordPhone[] ReadPhones(string json) => Read(json, static (ref reader) =>
    {
        var phones = new List<RecordPhone>(1);
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string raw = "";
            string? e164 = null, region = null, numberType = null, invalidReason = null;
            List<string>? timeZones = null;
            var (invalid, tries, triesToday) = (false, 0, 0);
            DateTimeOffset? lastTry = null, nextTry = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (name.SequenceEqual("raw"u8)) raw = reader.GetString()!;
                else if (name.SequenceEqual("e164"u8)) e164 = reader.GetString();
                else if (name.SequenceEqual("region"u8)) region = reader.GetString();
                else if (name.SequenceEqual("numberType"u8)) numberType = reader.GetString();
                else if (name.SequenceEqual("timeZones"u8))
                {
                    timeZones = [];
                    while (reader.Read() && reader.TokenType == JsonTokenType.String) timeZones.Add(reader.GetString()!);
                }
                else if (name.SequenceEqual("invalid"u8)) invalid = reader.GetBoolean();
                else if (name.SequenceEqual("invalidReason"u8)) invalidReason = reader.GetString();
                else if (name.SequenceEqual("tries"u8)) tries = reader.GetInt32();
                else if (name.SequenceEqual("triesToday"u8)) triesToday = reader.GetInt32();
                else if (name.SequenceEqual("lastTry"u8)) lastTry = reader.GetDateTimeOffset();
                else if (name.SequenceEqual("nextTry"u8)) nextTry = reader.GetDateTimeOffset();
                else reader.Skip();
            }
            phones.Add(new RecordPhone
            {
                Raw = raw,
                E164 = e164,
                Region = region,
                NumberType = numberType,
                TimeZones = timeZones ?? [],
                Invalid = invalid,
                InvalidReason = invalidReason,
                Tries = tries,
                TriesToday = triesToday,
                LastTry = lastTry,
                NextTry = nextTry,
            });
        }
        return phones.ToArray();
    });

    /// <summary>Reads what <see cref="Attributes"/> wrote, by hand as <see cref="ReadPhones"/>.</summary>
    public static RecordAttribute[] ReadAttributes(string json) => Read(json, static (ref reader) =>
    {
        var attributes = new List<RecordAttribute>(4);
        Expect(ref reader, JsonTokenType.StartArray);
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? name = null, value = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.ValueSpan;
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (property.SequenceEqual("name"u8)) name = reader.GetString();
                else if (property.SequenceEqual("value"u8)) value = reader.GetString();
                else reader.Skip();
            }
            attributes.Add(new RecordAttribute(name!, value!));
        }
        return attributes.ToArray();
    });

    private delegate T ReadJson<T>(ref Utf8JsonReader reader);

    private static T Read<T>(string json, ReadJson<T> read)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(json.Length));
        try
        {
            var reader = new Utf8JsonReader(rented.AsSpan(0, Encoding.UTF8.GetBytes(json, rented)));
            return read(ref reader);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (!reader.Read() || reader.TokenType != token) throw new JsonException($"stored JSON: expected {token}, found {reader.TokenType}");
    }
}
