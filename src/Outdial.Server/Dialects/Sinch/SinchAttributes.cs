using System.Text.Json;
using System.Text.Json.Serialization;

namespace Outdial.Server.Dialects.Sinch;

internal sealed record SinchAttribute(string Name, string Value);

/// <summary>
/// A customer's attributes, written as the document shows them (<c>{"attribute": [{"name", "value"}]}</c>, the JSON of
/// <c>&lt;attributes&gt;&lt;attribute&gt;…</c>) and read in that form or as a plain array of {name, value}.
/// </summary>
[JsonConverter(typeof(Converter))]
internal sealed record SinchAttributes(IReadOnlyList<SinchAttribute> Attribute)
{
    private sealed class Converter : JsonConverter<SinchAttributes>
    {
        public override SinchAttributes Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.StartArray) return new(Items(ref reader, options));
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new JsonException("attributes must be {\"attribute\": [{\"name\": ..., \"value\": ...}]} or an array of {name, value}");
            List<SinchAttribute>? items = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                if (name != "attribute" || items is not null) throw new JsonException($"attributes holds one property, 'attribute', not '{name}'");
                // One attribute alone may come as an object (XML-to-JSON mappers write a single element so).
                items = reader.TokenType == JsonTokenType.StartObject
                    ? [JsonSerializer.Deserialize<SinchAttribute>(ref reader, options) ?? throw new JsonException("an attribute is null")]
                    : Items(ref reader, options);
            }
            return new(items ?? []);
        }

        private static List<SinchAttribute> Items(ref Utf8JsonReader reader, JsonSerializerOptions options)
        {
            var items = JsonSerializer.Deserialize<List<SinchAttribute?>>(ref reader, options) ?? [];
            return items.Select(a => a ?? throw new JsonException("an attribute is null")).ToList();
        }

        public override void Write(Utf8JsonWriter writer, SinchAttributes value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("attribute");
            JsonSerializer.Serialize(writer, value.Attribute, options);
            writer.WriteEndObject();
        }
    }
}
