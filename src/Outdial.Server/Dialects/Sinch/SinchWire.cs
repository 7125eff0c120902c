using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Net.Http.Headers;
using Outdial.Engine.Operations;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>The dialect's media types: JSON or XML out by the Accept header, JSON or XML in by the Content-Type.</summary>
internal static class SinchWire
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false), new UtcTime() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        // The document's own PUT example ends its object with a trailing comma.
        AllowTrailingCommas = true,
        // Set, not left to first use: the XML reader asks for type metadata before anything was serialized.
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public enum Format { Json, Xml }

    /// <summary>The representation the client accepts, JSON first; null when it accepts neither (406).</summary>
    /// <param name="lenient">Also JSON for a client that accepts only text/html (the document tells clients to send that on POST).</param>
    public static Format? Negotiate(HttpRequest request, bool lenient = false)
    {
        var header = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(header)) return Format.Json;
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted)) return lenient ? Format.Json : null;
        foreach (var type in accepted.OrderByDescending(a => a.Quality ?? 1.0))
        {
            if (type.Quality == 0) continue;
            var media = type.MediaType.Value ?? "";
            if (IsXml(media)) return Format.Xml;
            if (media is "*/*" or "application/*" || IsJson(media)) return Format.Json;
        }
        return lenient ? Format.Json : null;
    }

    private static bool IsJson(string media) =>
        media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static bool IsXml(string media) =>
        media.Equals("application/xml", StringComparison.OrdinalIgnoreCase) || media.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
        || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);

    /// <summary>The body's format from its Content-Type; anything else is a 415.</summary>
    public static Format BodyFormat(HttpRequest request)
    {
        var media = MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ? type.MediaType.Value ?? "" : "";
        if (IsJson(media)) return Format.Json;
        if (IsXml(media)) return Format.Xml;
        throw new BadHttpRequestException($"unsupported Content-Type '{request.ContentType}': send application/json or application/xml", 415);
    }

    /// <summary>Reads a body of <typeparamref name="T"/> in JSON or XML. XML names its elements as JSON names its properties.</summary>
    /// <param name="root">The XML root element's name; with <paramref name="item"/> for an array body.</param>
    public static async Task<T> ReadAsync<T>(HttpRequest request, string root, string? item, CancellationToken ct)
    {
        var format = BodyFormat(request);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length == 0) throw new ValidationException("a body is required: the body was empty");
        return Parse<T>(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), format, root, item);
    }

    /// <summary>A whole body of <typeparamref name="T"/> in <paramref name="format"/>; see <see cref="ReadAsync{T}"/>.</summary>
    public static T Parse<T>(ReadOnlyMemory<byte> bytes, Format format, string root, string? item)
    {
        try
        {
            var value = format == Format.Json
                ? FirstValue(bytes.Span).Deserialize<T>(Json)
                : SinchXml.ToJson(bytes, typeof(T), root, item).Deserialize<T>(Json);
            return value ?? throw new ValidationException("a body is required: the body was null");
        }
        catch (JsonException e)
        {
            throw new ValidationException(Hosting.ProblemExceptionHandler.Describe(e));
        }
    }

    /// <summary>
    /// The body's first JSON value. What follows it is ignored, as OBI servers do: the document's own POST example ends with
    /// an extra closing brace.
    /// </summary>
    private static JsonElement FirstValue(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            return JsonElement.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            throw new ValidationException($"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine}: {e.Message.Split(" LineNumber")[0]}");
        }
    }

    /// <summary>A plain-text body (the campaign status): text/plain as the document shows, or a JSON string, or one XML element.</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var text = (await reader.ReadToEndAsync(ct)).Trim();
        var media = MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ? type.MediaType.Value ?? "" : "text/plain";
        if (media.Equals("text/plain", StringComparison.OrdinalIgnoreCase)) return text;
        return BodyFormat(request) switch
        {
            Format.Json when text.StartsWith('"') => JsonSerializer.Deserialize<string>(text) ?? "",
            Format.Json => text,
            _ => SinchXml.Text(text),
        };
    }

    /// <summary>Times as the document writes them: UTC with Z, milliseconds when there are any. Input without an offset is UTC.</summary>
    private sealed class UtcTime : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && Parse(reader.GetString()!) is { } value
                ? value
                : throw new JsonException("must be an ISO 8601 UTC time, e.g. 2020-06-29T12:00:00.000Z");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Text(value));
    }

    public static string Text(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>An ISO 8601 time, UTC unless it says otherwise; null when it is not one or is outside 1900 to 9999.</summary>
    public static DateTimeOffset? Parse(string text) =>
        text.Length >= 10 && text[4] == '-' && text[7] == '-'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
        && t.Year is >= 1900 and <= 9999
            ? t
            : null;
}
