using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Xml;
using System.Xml.Linq;
using Outdial.Engine.Operations;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>
/// The XML form of the dialect's JSON: an element per property with the same name, a list as the property's element
/// repeated, an array body or answer as a root element holding one element per item. The document gives no XML example;
/// this is the shape its JSON (<c>"attributes": {"attribute": [...]}</c>) was mapped from.
/// </summary>
internal static class SinchXml
{
    public static byte[] Write(JsonElement value, string root, string? item)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
        {
            writer.WriteStartDocument(standalone: true);
            if (value.ValueKind == JsonValueKind.Array)
            {
                writer.WriteStartElement(root);
                foreach (var element in value.EnumerateArray()) Element(writer, item ?? "item", element);
                writer.WriteEndElement();
            }
            else
            {
                Element(writer, root, value);
            }
        }
        return stream.ToArray();
    }

    private static void Element(XmlWriter writer, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartElement(name);
                foreach (var property in value.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.Array) Element(writer, property.Name, property.Value);
                    else foreach (var item in property.Value.EnumerateArray()) Element(writer, property.Name, item);
                }
                writer.WriteEndElement();
                break;
            case JsonValueKind.String:
                writer.WriteElementString(name, Clean(value.GetString()!));
                break;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            default:
                writer.WriteElementString(name, value.GetRawText());
                break;
        }
    }

    /// <summary>Characters XML 1.0 cannot carry (control characters, lone surrogates) become U+FFFD, not a failed answer.</summary>
    private static string Clean(string text)
    {
        StringBuilder? clean = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair || XmlConvert.IsXmlChar(c))
            {
                clean?.Append(c);
                if (pair) clean?.Append(text[i + 1]);
                if (pair) i++;
                continue;
            }
            clean ??= new StringBuilder(text, 0, i, text.Length);
            clean.Append('\uFFFD');
        }
        return clean?.ToString() ?? text;
    }

    /// <summary>Reads an XML body as the JSON <paramref name="type"/> would be written, for the same deserializer.</summary>
    public static JsonNode ToJson(ReadOnlyMemory<byte> body, Type type, string root, string? item)
    {
        var document = Load(body);
        if (IsList(type, out var itemType))
            return new JsonArray(document.Elements().Select(e => Node(e, itemType)).ToArray());
        _ = root; // any root name is taken: clients name it after their own class
        return Node(document, type) ?? new JsonObject();
    }

    /// <summary>The text of a one-element XML body (<c>&lt;status&gt;Active&lt;/status&gt;</c>).</summary>
    public static string Text(string xml) => Load(Encoding.UTF8.GetBytes(xml)).Value.Trim();

    private static XElement Load(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var stream = new MemoryStream(body.ToArray());
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            return XElement.Load(reader);
        }
        catch (XmlException e)
        {
            throw new ValidationException($"malformed XML at line {e.LineNumber}, position {e.LinePosition}: {e.Message.Split(" Line ")[0]}");
        }
    }

    private static JsonNode? Node(XElement element, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var name = element.Name.LocalName;
        if (type == typeof(SinchAttributes))
            return new JsonArray(element.Elements().Select(e => e.Name.LocalName == "attribute"
                ? Node(e, typeof(SinchAttribute))
                : throw new ValidationException($"unknown element '{e.Name.LocalName}' in '{name}': attributes are <attribute><name>..</name><value>..</value></attribute>")).ToArray());
        var info = SinchWire.Json.GetTypeInfo(type);
        if (info.Kind == JsonTypeInfoKind.Object) return Object(element, info);
        if (element.HasElements) throw new ValidationException($"'{name}' must be a value, not elements");
        var text = element.Value;
        if (type == typeof(bool))
            return text.Trim() is "true" or "false" ? JsonValue.Create(text.Trim() == "true") : throw new ValidationException($"'{name}' must be true or false, got '{text}'");
        if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(decimal))
        {
            if (text.Trim().Length == 0) return null;
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                ? JsonValue.Create(number)
                : throw new ValidationException($"'{name}' must be a number, got '{text}'");
        }
        return JsonValue.Create(text);
    }

    private static JsonObject Object(XElement element, JsonTypeInfo info)
    {
        var result = new JsonObject();
        foreach (var group in element.Elements().GroupBy(e => e.Name.LocalName, StringComparer.Ordinal))
        {
            var property = info.Properties.FirstOrDefault(p => p.Name == group.Key)
                ?? throw new ValidationException($"unknown element '{group.Key}' in '{element.Name.LocalName}'");
            if (IsList(property.PropertyType, out var itemType))
                result[property.Name] = new JsonArray(group.Select(e => Node(e, itemType)).ToArray());
            else if (group.Skip(1).Any())
                throw new ValidationException($"element '{group.Key}' is given twice in '{element.Name.LocalName}'");
            else
                result[property.Name] = Node(group.First(), property.PropertyType);
        }
        return result;
    }

    private static bool IsList(Type type, out Type item)
    {
        item = typeof(object);
        if (type == typeof(string) || !type.IsGenericType || type.GetGenericTypeDefinition() is var d
            && d != typeof(List<>) && d != typeof(IReadOnlyList<>) && d != typeof(IList<>)) return false;
        item = type.GetGenericArguments()[0];
        return true;
    }
}
