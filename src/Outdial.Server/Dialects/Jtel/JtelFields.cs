using System.Globalization;
using System.Text.Json;
using Outdial.Engine.Operations;

namespace Outdial.Server.Dialects.Jtel;

/// <summary>A contact as a client sends it (import or update): only the fields present, each checked for its type.</summary>
internal sealed class JtelContactInput
{
    public long? Id { get; private set; }
    public long? CampaignId { get; private set; }
    public string? CampaignName { get; private set; }
    /// <summary>Present with a value, or present as null (to clear it).</summary>
    public bool HasUserData { get; private set; }
    public string? UserData { get; private set; }
    /// <summary>Data fields kept as the record's attributes (by their jtel names), as text; null clears one.</summary>
    public Dictionary<string, string?> Data { get; } = new(StringComparer.Ordinal);
    /// <summary>PhoneNumber1..6 present in the body (index 0..5); null or empty clears the slot.</summary>
    public Dictionary<int, string?> Phones { get; } = [];

    /// <summary>Reads a body; an unknown field, a field of the wrong type or a malformed date is a 400 naming it.</summary>
    public static JtelContactInput Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object) throw new ValidationException("the body must be a JSON object holding the contact");
        var input = new JtelContactInput();
        foreach (var property in body.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            if (name == "ID") input.Id = Integer(name, value);
            else if (name == "DiallerCampaignsID") input.CampaignId = Integer(name, value);
            else if (name == "DiallerCampaignsName") input.CampaignName = Text(name, value);
            else if (name == "UserData")
            {
                input.HasUserData = true;
                input.UserData = Text(name, value) is { Length: > 0 } u ? u : null;
            }
            else if (JtelFields.PhoneIndex(name) is { } slot) input.Phones[slot] = Text(name, value);
            else if (name is "RandomSortOrder") input.Data[name] = Integer(name, value)?.ToString(CultureInfo.InvariantCulture);
            else if (name is "Amount") input.Data[name] = Number(name, value);
            else if (JtelFields.Dates.Contains(name)) input.Data[name] = Date(name, value);
            else if (JtelFields.Data.Contains(name)) input.Data[name] = Text(name, value);
            else if (!JtelFields.ReadOnly.Contains(name)) throw new ValidationException($"unknown field '{name}'", name);
            if (input.Data.TryGetValue(name, out var text) && text is { Length: > Engine.Domain.Limits.MaxFieldLength })
                throw new ValidationException($"'{name}' is longer than {Engine.Domain.Limits.MaxFieldLength} characters", name);
        }
        return input;
    }

    private static long? Integer(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetInt64(out var n) => n,
        JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw new ValidationException($"'{name}' must be an integer, got {value.GetRawText()}", name),
    };

    private static string? Number(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number when value.TryGetDecimal(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => throw new ValidationException($"'{name}' must be a number, got {value.GetRawText()}", name),
    };

    private static string? Text(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new ValidationException($"'{name}' must be a string, got {value.GetRawText()}", name),
    };

    private static string? Date(string name, JsonElement value) => Text(name, value) switch
    {
        null or "" => null,
        var s when JtelFields.ParseDate(s) is { } d => JtelFields.FormatDate(d),
        var s => throw new ValidationException($"'{name}' must be a date as yyyy-MM-ddTHH:mm:ss (UTC), got '{s}'", name),
    };
}

/// <summary>jtel's contact field names, in the order of the document's example, and what Outdial keeps them as.</summary>
internal static class JtelFields
{
    public const int Phones = 6;

    /// <summary>Data fields, kept as record attributes under these names, in the example's order.</summary>
    public static readonly string[] DataOrder =
    [
        "RandomSortOrder", "Client", "Service", "ReferenceNumber", "Name", "FirstName", "Salutation", "Title", "Company",
        "Address", "PostalCode", "City", "Country", "AccountOwner", "AccountBank", "AccountNationalBankCode", "AccountBIC",
        "AccountNumber", "AccountIBAN", "Amount",
    ];

    /// <summary>Data fields after PhoneNumber1..6, in the example's order.</summary>
    public static readonly string[] DataAfterPhones =
    [
        "FaxNumber", "Email", "Website", "Comment", "ReservedUsersUID", "FollowUpUsersUID", "FollowUpDateTime", "dtBeginDate",
        "dtEndDate", "Manufacturer", "Model", "Tag", "ExternalSystemLink",
    ];

    public static readonly HashSet<string> Data = new([.. DataOrder, .. DataAfterPhones], StringComparer.Ordinal);

    public static readonly HashSet<string> Dates = new(["FollowUpDateTime", "dtBeginDate", "dtEndDate"], StringComparer.Ordinal);

    /// <summary>Fields a contact is answered with that a client cannot set: accepted in a body (a contact read and sent
    /// back) and ignored.</summary>
    public static readonly HashSet<string> ReadOnly = new(
    [
        "bLocked", "dtNextTry", "dtLastTry", "dtCreated", "bLastResultMailbox", "LastAcdAgentEndReasonsID", "LastResult",
        .. Enumerable.Range(1, Phones).SelectMany(n => new[]
        {
            $"nTriesPhoneNumber{n}", $"bPhoneNumber{n}Invalid", $"nPhoneNumber{n}LastCause", $"PhoneNumber{n}LastAcdAgentEndReasonsID",
        }),
    ], StringComparer.Ordinal);

    /// <summary>Where the numbers sit when they are not PhoneNumber1..n in order: an attribute of slot indexes ("2,5").</summary>
    public const string SlotsAttribute = "jtel:PhoneSlots";

    /// <summary>0..5 for PhoneNumber1..6, else null.</summary>
    public static int? PhoneIndex(string name) =>
        name.Length == 12 && name.StartsWith("PhoneNumber", StringComparison.Ordinal) && name[11] is >= '1' and <= '6' ? name[11] - '1' : null;

    public static DateTimeOffset? ParseDate(string s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)
        && d.Year is >= 1900 and <= 9999 ? d : null;

    /// <summary>Times as jtel writes them: UTC without an offset.</summary>
    public static string FormatDate(DateTimeOffset d) => d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
