using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Outdial.Engine.Operations;
using Outdial.Engine.Operations.Records;

namespace Outdial.Server.Dialects.BrightPattern;

/// <summary>The body of getCompleted: <c>{"fromTime": "2013-03-01T13:15:06.456", "maxSize": "100"}</c>, both mandatory.</summary>
internal sealed partial record BrightPatternRequest(DateTimeOffset FromTime, int MaxSize)
{
    /// <summary>Far above any real body of two fields; read whole, so the bound keeps a large one from being held.</summary>
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<BrightPatternRequest> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw new ValidationException($"the body is larger than {MaxBodyBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) throw new ValidationException("a JSON body is required: {\"fromTime\": \"2013-03-01T13:15:06.456\", \"maxSize\": 100}");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (JsonException e)
        {
            throw new ValidationException($"the body is not JSON: {e.Message.Split(" Path:")[0]}");
        }
        using (document) return Of(document.RootElement);
    }

    private static BrightPatternRequest Of(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new ValidationException("the body must be a JSON object {\"fromTime\", \"maxSize\"}");
        JsonElement? fromTime = null, maxSize = null;
        foreach (var field in body.EnumerateObject())
        {
            if (field.Name is not ("fromTime" or "maxSize"))
                throw new ValidationException($"unknown field '{field.Name}': the body has only 'fromTime' and 'maxSize'", field.Name);
            if ((field.Name == "fromTime" ? fromTime : maxSize) is not null) throw new ValidationException($"field '{field.Name}' is given twice", field.Name);
            if (field.Name == "fromTime") fromTime = field.Value;
            else maxSize = field.Value;
        }
        return new BrightPatternRequest(
            Time(fromTime ?? throw new ValidationException("missing field 'fromTime'", "fromTime")),
            Size(maxSize ?? throw new ValidationException("missing field 'maxSize'", "maxSize")));
    }

    /// <summary>ISO 8601 date and time (or a date: its midnight); without an offset it is UTC (the document's times are).</summary>
    private static DateTimeOffset Time(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        return value.ValueKind == JsonValueKind.String && IsoTime().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new ValidationException($"'fromTime' must be an ISO date and time such as \"2013-03-01T13:15:06.456\" (UTC), got {Quote(text)}", "fromTime");
    }

    /// <summary>A whole number or a string of one (the document sends "100"), 1 to <see cref="CompletedOperations.MaxLimit"/>.</summary>
    private static int Size(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (!(value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var size)))
            throw new ValidationException($"'maxSize' must be a whole number (or a string of one), got {Quote(text)}", "maxSize");
        return size is >= 1 and <= CompletedOperations.MaxLimit
            ? (int)size
            : throw new ValidationException($"'maxSize' must be between 1 and {CompletedOperations.MaxLimit}, got {text}", "maxSize");
    }

    private static string Quote(string text) => text.Length > 100 ? $"'{text[..100]}…'" : $"'{text}'";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTime();
}
