using Outdial.Engine.Domain;
using Outdial.Engine.Operations;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>OBI ids: id32 (32 hex digits) or id36 (a GUID with dashes); anything else is a 400 naming the field.</summary>
internal static class SinchIds
{
    public static string Parse(string? value, string field) =>
        Id32.TryNormalize(value, out var id)
            ? id
            : throw new ValidationException($"'{field}' must be an id32 or id36 identifier (a GUID), got '{value}'", field);

    /// <summary>A comma-separated list of ids (agentId=A,B).</summary>
    public static IReadOnlyList<string> ParseList(string value, string field) =>
        value.Split(',', StringSplitOptions.TrimEntries).Select(v => Parse(v, field)).Distinct(StringComparer.Ordinal).ToList();
}
