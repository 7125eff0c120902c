using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Records;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Imports;

/// <summary>Where each CSV column goes: a record field, the n-th phone number, an attribute, or nowhere.</summary>
/// <remarks>
/// Given as JSON <c>{"Header": "target"}</c> with targets externalId, numbers (";"-separated), phone1..phone10, timeZone,
/// priority, date, agentId, country, dialingMode, previewTime, locked, attribute:NAME, ignore. Unmapped headers that name a
/// target are taken as that target; any other header becomes an attribute of the same name.
/// </remarks>
internal sealed class ColumnMapping
{
    private static readonly string[] Targets =
        ["externalid", "numbers", "timezone", "priority", "date", "agentid", "country", "dialingmode", "previewtime", "locked", "ignore"];

    private readonly Target[] _columns;

    private ColumnMapping(Target[] columns) => _columns = columns;

    private readonly record struct Target(string Kind, int PhoneIndex = 0, string? Attribute = null);

    public static ColumnMapping Create(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string>? explicitMap)
    {
        var columns = new Target[headers.Count];
        var phonesSeen = 0;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i].Trim();
            string? target = null;
            if (explicitMap is not null && explicitMap.TryGetValue(header, out var mapped)) target = mapped;
            columns[i] = Parse(target ?? header, header, explicitly: target is not null, ref phonesSeen);
        }
        if (explicitMap is not null)
            foreach (var key in explicitMap.Keys)
                if (!headers.Any(h => string.Equals(h.Trim(), key, StringComparison.Ordinal)))
                    throw new ValidationException($"mapping names column '{key}', which the file does not have (columns: {string.Join(", ", headers)})");
        if (!columns.Any(c => c.Kind is "numbers" or "phone"))
            throw new ValidationException($"no column holds phone numbers: map one to 'numbers' or 'phone1' (columns: {string.Join(", ", headers)})");
        return new ColumnMapping(columns);
    }

    private static Target Parse(string target, string header, bool explicitly, ref int phonesSeen)
    {
        var t = target.Trim();
        var lower = t.ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (t.StartsWith("attribute:", StringComparison.OrdinalIgnoreCase)) return new Target("attribute", Attribute: t[10..]);
        if (lower.StartsWith("phone", StringComparison.Ordinal) || lower.StartsWith("phonenumber", StringComparison.Ordinal))
        {
            var digits = lower.TrimStart("phonenumber".ToCharArray());
            if (digits.Length == 0 && lower is "phone" or "phonenumber") return new Target("phone", ++phonesSeen);
            if (int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= Limits.MaxPhonesPerRecord)
                return new Target("phone", n);
        }
        if (lower is "mobile" or "cell" or "cellphone" or "tel" or "telephone" or "msisdn") return new Target("phone", ++phonesSeen);
        if (lower is "externalid" or "userdata") return new Target("externalid");
        if (lower is "number" or "numbers") return new Target("numbers");
        if (Targets.Contains(lower)) return new Target(lower);
        if (explicitly && lower != "attribute")
            throw new ValidationException($"mapping of column '{header}': unknown target '{target}' (use externalId, numbers, phone1..phone{Limits.MaxPhonesPerRecord}, timeZone, priority, date, agentId, country, dialingMode, previewTime, locked, attribute:NAME, ignore)");
        return new Target("attribute", Attribute: header);
    }

    /// <summary>Reads one CSV row into record fields; a malformed value gives an error naming the column.</summary>
    public RecordFields Read(string[] row, IReadOnlyList<string> headers, out string? error)
    {
        error = null;
        string? externalId = null, timeZone = null, agentId = null, country = null;
        int? priority = null, previewTime = null;
        bool? locked = null;
        DialingMode? mode = null;
        DateTimeOffset? date = null;
        var phones = new string?[Limits.MaxPhonesPerRecord];
        List<string>? numbers = null;
        List<RecordAttribute>? attributes = null;
        for (var i = 0; i < _columns.Length && i < row.Length; i++)
        {
            var value = row[i];
            if (string.IsNullOrWhiteSpace(value) && _columns[i].Kind != "attribute") continue;
            var column = _columns[i];
            switch (column.Kind)
            {
                case "phone": phones[column.PhoneIndex - 1] = value; break;
                case "numbers": numbers = Records.RecordInput.SplitNumbers(value); break;
                case "externalid": externalId = value; break;
                case "timezone": timeZone = value; break;
                case "agentid": agentId = value; break;
                case "country": country = value; break;
                case "priority": priority = Int(value, headers[i], ref error); break;
                case "previewtime": previewTime = Int(value, headers[i], ref error); break;
                case "locked":
                    locked = value.Trim().ToLowerInvariant() switch
                    {
                        "1" or "true" or "yes" => true,
                        "0" or "false" or "no" => false,
                        _ => Fail<bool?>($"column '{headers[i]}': '{value}' is not true/false", ref error),
                    };
                    break;
                case "dialingmode":
                    mode = Enum.TryParse<DialingMode>(value.Trim(), ignoreCase: true, out var m) && Enum.IsDefined(m)
                        ? m : Fail<DialingMode?>($"column '{headers[i]}': '{value}' is not PREVIEW, PROGRESSIVE or PREDICTIVE", ref error);
                    break;
                case "date":
                    date = DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var d)
                        ? d : Fail<DateTimeOffset?>($"column '{headers[i]}': '{value}' is not an ISO 8601 time", ref error);
                    break;
                case "attribute": (attributes ??= []).Add(new RecordAttribute(column.Attribute!, value)); break;
            }
        }
        var all = numbers ?? [];
        foreach (var p in phones)
            if (!string.IsNullOrWhiteSpace(p)) all.Add(p);
        return new RecordFields
        {
            ExternalId = externalId,
            Numbers = all,
            Attributes = (IReadOnlyList<RecordAttribute>?)attributes ?? [],
            TimeZone = timeZone,
            Priority = priority,
            DialingMode = mode,
            PreviewTime = previewTime,
            Locked = locked,
            ScheduledAt = date,
            AgentId = agentId,
            Region = country,
        };
    }

    private static int? Int(string value, string header, ref string? error) =>
        int.TryParse(value.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v : Fail<int?>($"column '{header}': '{value}' is not an integer", ref error);

    private static T Fail<T>(string message, ref string? error)
    {
        error ??= message;
        return default!;
    }
}
