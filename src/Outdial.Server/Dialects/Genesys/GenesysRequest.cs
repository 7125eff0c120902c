using System.Globalization;
using System.Text.Json;
using Outdial.Engine.Domain;

namespace Outdial.Server.Dialects.Genesys;

/// <summary>An operation's body read field by field with Genesys's names; the first problem found is kept as the error.
/// Fields the operation does not use are ignored, as Genesys does.</summary>
internal sealed class GenesysRequest(JsonElement body)
{
    public static readonly JsonSerializerOptions Strict = new() { AllowDuplicateProperties = false };

    public string? Error { get; private set; }

    public void Fail(string error) => Error ??= error;

    public T? Fail<T>(string error)
    {
        Fail(error);
        return default;
    }

    public string? Text(string name, bool required = false)
    {
        if (body.ValueKind != JsonValueKind.Object) return Fail<string>("the body must be a JSON object with an operationName");
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? Fail<string>($"'{name}' is required") : null;
        if (value.ValueKind != JsonValueKind.String) return Fail<string>($"'{name}' must be a string");
        var text = value.GetString()!;
        return text.Length is 0 or > 500 ? Fail<string>($"'{name}' must be 1 to 500 characters") : text;
    }

    /// <summary>An integer, also given as a string of digits.</summary>
    public long? Integer(string name, bool required = false)
    {
        if (body.ValueKind != JsonValueKind.Object) return Fail<long?>("the body must be a JSON object with an operationName");
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? Fail<long?>($"'{name}' is required") : null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)) return n;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n)) return n;
        return Fail<long?>($"'{name}' must be an integer");
    }

    /// <summary>callResult as a Genesys name or code (<see cref="GenesysCallResults"/>).</summary>
    public CallResult? CallResult()
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("callResult", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var raw = value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var code) => code.ToString(CultureInfo.InvariantCulture),
            JsonValueKind.String when value.GetString() is { Length: > 0 and <= 100 } s => s,
            _ => null,
        };
        if (raw is null) return Fail<CallResult?>("'callResult' must be a Genesys call result name or code, such as Answer or 33");
        var (result, error) = GenesysCallResults.Parse(raw);
        return error is null ? result : Fail<CallResult?>(error);
    }
}
