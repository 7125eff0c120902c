using System.Globalization;
using Outdial.Engine.Domain;

namespace Outdial.Server.Dialects.Genesys;

/// <summary>
/// Genesys OCS call results (the <c>GSW_CALL_RESULT</c> codes: 33 Answer, 6 Busy …) and Outdial's results, both ways.
/// A callResult is accepted as the code, as the name (case, spaces, dashes and underscores ignored), or as Outdial's own
/// result name; results with no Outdial counterpart (Ok, Unknown Call Result, Transferred …) are refused by name.
/// </summary>
internal static class GenesysCallResults
{
    /// <summary>Genesys's code, name, and the Outdial result it maps to (null: no counterpart, refused).</summary>
    private static readonly (int Code, string Name, CallResult? Result)[] Table =
    [
        (0, "Ok", null), (1, "Transferred", null), (2, "Conferenced", null), (3, "General Error", CallResult.NOT_DIALED),
        (4, "System Error", CallResult.NOT_DIALED), (5, "Remote Release", CallResult.HANGUP), (6, "Busy", CallResult.BUSY),
        (7, "No Answer", CallResult.NOANSWER), (8, "SIT Detected", CallResult.INVALID_NUMBER),
        (9, "Answering Machine Detected", CallResult.ANSWERING_MACHINE), (10, "All Trunks Busy", CallResult.NOT_DIALED),
        (11, "SIT Invalid Num", CallResult.INVALID_NUMBER), (12, "SIT Vacant", CallResult.INVALID_NUMBER),
        (13, "SIT Intercept", CallResult.INVALID_NUMBER), (14, "SIT Unknown Call State", CallResult.INVALID_NUMBER),
        (15, "SIT No Circuit", CallResult.NOT_DIALED), (16, "SIT Reorder", CallResult.NOT_DIALED), (17, "Fax Detected", CallResult.FAX),
        (18, "Queue Full", null), (19, "Cleared", null), (20, "Overflowed", null), (21, "Abandoned", CallResult.ABANDONED),
        (22, "Redirected", null), (23, "Forwarded", null), (24, "Consult", null), (25, "Picked Up", null), (26, "Dropped", CallResult.HANGUP),
        (27, "Dropped No Answer", CallResult.NOANSWER), (28, "Unknown Call Result", null), (29, "Covered", null), (30, "Converse On", null),
        (31, "Bridged", null), (32, "Silence", CallResult.NOANSWER), (33, "Answer", CallResult.SUCCESS), (34, "NU Tone", CallResult.NOT_DIALED),
        (35, "No Dial Tone", CallResult.NOT_DIALED), (36, "No Progress", CallResult.NOT_DIALED), (37, "No Ring Back Tone", CallResult.NOT_DIALED),
        (38, "No Established Detected", CallResult.NOT_DIALED), (39, "Pager Detected", CallResult.ANSWERING_MACHINE),
        (40, "Wrong Party", CallResult.INVALID_NUMBER), (41, "Dial Error", CallResult.NOT_DIALED), (42, "Call Drop Error", CallResult.HANGUP),
        (43, "Switch Error", CallResult.NOT_DIALED), (44, "No Port Available", CallResult.NOT_DIALED), (45, "Transfer Error", null),
        (46, "Stale", null), (47, "Agent Callback Error", null), (48, "Group Callback Error", null), (49, "Deafened", null), (50, "Held", null),
        (51, "Do Not Call", CallResult.REFUSAL), (52, "Cancel Record", null), (53, "Wrong Number", CallResult.INVALID_NUMBER),
    ];

    /// <summary>The code reported for each Outdial result (28 Unknown Call Result where Genesys has none).</summary>
    public static int CodeOf(CallResult result) => result switch
    {
        CallResult.SUCCESS or CallResult.REFUSAL => 33,
        CallResult.BUSY => 6,
        CallResult.NOANSWER => 7,
        CallResult.ANSWERING_MACHINE => 9,
        CallResult.FAX => 17,
        CallResult.INVALID_NUMBER => 11,
        CallResult.HANGUP => 26,
        CallResult.ABANDONED => 21,
        _ => 28,
    };

    /// <summary>The Outdial result of a callResult as a client sent it (a number or a string); an error message when none.</summary>
    public static (CallResult? Result, string? Error) Parse(string value)
    {
        var key = Key(value);
        foreach (var (code, name, result) in Table)
            if (key == code.ToString(CultureInfo.InvariantCulture) || key == Key(name))
                return result is { } r ? (r, null) : (null, $"callResult '{value}' ({code} {name}) has no Outdial counterpart: use a final result such as Answer (33), Busy (6), No Answer (7)");
        if (Enum.TryParse<CallResult>(value, ignoreCase: false, out var own) && Enum.IsDefined(own) && !char.IsDigit(value[0])
            && own is not (CallResult.DIALING or CallResult.MAXCALLS))
            return (own, null);
        return (null, $"callResult '{value}' is not a Genesys call result: give its name or code, such as Answer or 33");
    }

    /// <summary>The table for the README and the tests: code, name, Outdial result.</summary>
    public static IEnumerable<(int Code, string Name, CallResult? Result)> All => Table;

    private static string Key(string s) => new([.. s.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);
}
