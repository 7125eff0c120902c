using System.Globalization;
using System.Text.Json.Nodes;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Engine.Records;
using Outdial.Engine.Storage;

namespace Outdial.Server.Dialects.Jtel;

/// <summary>A record as jtel's DiallerContact and back: data fields as attributes under their jtel names, PhoneNumber1..6 as
/// the record's numbers, UserData as its externalId, try counters and flags from its numbers, progress and attempts.</summary>
internal static class JtelContact
{
    /// <summary>The contact in the field order of the document's example, then the dialler's state per contact and per number.</summary>
    /// <param name="campaign">The campaign the contact is shown in (its progress there gives dtNextTry).</param>
    public static JsonObject ToJtel(StoredRecord stored, Campaign? campaign, IReadOnlyList<Attempt> attempts)
    {
        var r = stored.Record;
        var data = r.Attributes.GroupBy(a => a.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var slots = Slots(r);
        var progress = campaign is null ? null : stored.Progress.FirstOrDefault(p => p.CampaignId == campaign.Id);
        var o = new JsonObject
        {
            ["ID"] = r.Number,
            ["DiallerCampaignsID"] = campaign?.Number,
            ["DiallerCampaignsName"] = campaign?.Name,
        };
        foreach (var name in JtelFields.DataOrder)
        {
            o[name] = Value(name, data);
            if (name == "RandomSortOrder") o["UserData"] = UserData(r);
        }
        for (var n = 0; n < JtelFields.Phones; n++) o[$"PhoneNumber{n + 1}"] = slots.TryGetValue(n, out var i) ? r.Phones[i].Raw : null;
        foreach (var name in JtelFields.DataAfterPhones) o[name] = Value(name, data);

        var last = attempts.LastOrDefault(a => a.Result != CallResult.DIALING);
        o["bLocked"] = r.Locked;
        o["dtNextTry"] = progress is { State: not RecordState.CLOSED, ScheduledAt: { } next } ? JtelFields.FormatDate(next) : null;
        o["dtLastTry"] = r.Phones.Max(p => p.LastTry) is { } lastTry ? JtelFields.FormatDate(lastTry) : null;
        o["dtCreated"] = JtelFields.FormatDate(r.Created);
        o["LastResult"] = progress?.Result?.ToString();
        o["bLastResultMailbox"] = last is null ? null : last.Result == CallResult.ANSWERING_MACHINE;
        o["LastAcdAgentEndReasonsID"] = null;
        for (var n = 0; n < JtelFields.Phones; n++)
        {
            var phone = slots.TryGetValue(n, out var i) ? r.Phones[i] : null;
            var lastOnNumber = phone is null ? null : attempts.LastOrDefault(a => a.PhoneIndex == i && a.Result != CallResult.DIALING);
            o[$"nTriesPhoneNumber{n + 1}"] = phone?.Tries;
            o[$"bPhoneNumber{n + 1}Invalid"] = phone?.Invalid;
            o[$"nPhoneNumber{n + 1}LastCause"] = lastOnNumber is null ? null : Cause(lastOnNumber.Result);
            o[$"PhoneNumber{n + 1}LastAcdAgentEndReasonsID"] = null;
        }
        return o;
    }

    /// <summary>One call of the contact's history: the number dialed, when, its result and the agent's result code.</summary>
    public static JsonObject ToJtelHistory(Attempt a, StoredRecord stored, IReadOnlyDictionary<string, Campaign> campaigns)
    {
        var slots = Slots(stored.Record);
        var slot = slots.FirstOrDefault(s => s.Value == a.PhoneIndex, new(-1, -1)).Key;
        return new JsonObject
        {
            ["DiallerContactsID"] = stored.Record.Number,
            ["DiallerCampaignsID"] = campaigns.TryGetValue(a.CampaignId, out var c) ? c.Number : null,
            ["UserData"] = UserData(stored.Record),
            ["PhoneNumberIndex"] = slot >= 0 ? slot + 1 : null,
            ["PhoneNumber"] = a.NumberDialed,
            ["dtStart"] = JtelFields.FormatDate(a.Started),
            ["dtAnswer"] = a.Answered is { } answered ? JtelFields.FormatDate(answered) : null,
            ["dtEnd"] = a.Ended is { } ended ? JtelFields.FormatDate(ended) : null,
            ["Result"] = a.Result.ToString(),
            ["nCause"] = Cause(a.Result),
            ["bMailbox"] = a.Result == CallResult.ANSWERING_MACHINE,
            ["ResultCode"] = a.Disposition,
            ["UsersUID"] = a.AgentId,
            ["RingSeconds"] = a.RingSeconds,
            ["TalkSeconds"] = a.TalkSeconds,
            ["WrapSeconds"] = a.WrapSeconds,
        };
    }

    /// <summary>The record's externalId unless the store generated it (a contact imported without UserData).</summary>
    public static string? UserData(CallRecord r) => r.ExternalId == r.Id ? null : r.ExternalId;

    /// <summary>A Q.850 cause for a call's result, as jtel's nPhoneNumberNLastCause holds them: 16 normal clearing (the call
    /// was answered), 17 busy, 19 no answer, 1 unallocated number; null when no call was placed.</summary>
    public static int? Cause(CallResult result) => result switch
    {
        CallResult.BUSY => 17,
        CallResult.NOANSWER => 19,
        CallResult.INVALID_NUMBER => 1,
        CallResult.NOT_DIALED or CallResult.DIALING or CallResult.MAXCALLS => null,
        _ => 16,
    };

    /// <summary>Slot (0..5) to the index of the record's number in it.</summary>
    public static Dictionary<int, int> Slots(CallRecord r)
    {
        var map = new Dictionary<int, int>();
        var stored = r.Attributes.FirstOrDefault(a => a.Name == JtelFields.SlotsAttribute)?.Value.Split(',');
        for (var i = 0; i < r.Phones.Count; i++)
        {
            var slot = stored is not null && i < stored.Length && int.TryParse(stored[i], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s - 1 : i;
            if (slot is >= 0 and < JtelFields.Phones) map.TryAdd(slot, i);
        }
        return map;
    }

    /// <summary>
    /// The record's fields after the input: a new contact (<paramref name="existing"/> null) or the changed fields of an
    /// existing one (others kept, including fields other APIs gave it). Name and one number are required in either case.
    /// </summary>
    public static RecordFields ToFields(JtelContactInput input, CallRecord? existing)
    {
        var attributes = existing?.Attributes.Where(a => a.Name != JtelFields.SlotsAttribute).ToList() ?? [];
        foreach (var (name, value) in input.Data)
        {
            var at = attributes.FindIndex(a => a.Name == name);
            if (value is null) { if (at >= 0) attributes.RemoveAt(at); }
            else if (at >= 0) attributes[at] = new RecordAttribute(name, value);
            else attributes.Add(new RecordAttribute(name, value));
        }
        if (!attributes.Any(a => a.Name == "Name" && !string.IsNullOrWhiteSpace(a.Value)))
            throw new ValidationException("'Name' is mandatory", "Name");

        var phones = new string?[JtelFields.Phones];
        if (existing is not null)
            foreach (var (slot, index) in Slots(existing)) phones[slot] = existing.Phones[index].Raw;
        foreach (var (slot, value) in input.Phones) phones[slot] = value;
        var numbers = new List<string>();
        var slots = new List<int>();
        for (var n = 0; n < phones.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(phones[n])) continue;
            numbers.Add(phones[n]!.Trim());
            slots.Add(n + 1);
        }
        if (numbers.Count == 0) throw new ValidationException("at least one of PhoneNumber1 to PhoneNumber6 is mandatory", "PhoneNumber1");
        if (slots[^1] != slots.Count) attributes.Add(new RecordAttribute(JtelFields.SlotsAttribute, string.Join(',', slots)));

        return new RecordFields
        {
            ExternalId = input.HasUserData ? input.UserData : existing?.ExternalId,
            Numbers = numbers,
            Attributes = attributes,
            TimeZone = existing?.TimeZone,
            Priority = existing?.Priority,
            DialingMode = existing?.DialingMode,
            PreviewTime = existing?.PreviewTime,
            Locked = existing?.Locked,
            InvalidNumbers = InvalidNumbers.Keep,
        };
    }

    private static JsonNode? Value(string name, Dictionary<string, string> data)
    {
        if (!data.TryGetValue(name, out var value)) return null;
        return name switch
        {
            "RandomSortOrder" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            "Amount" when decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
            _ => value,
        };
    }
}
