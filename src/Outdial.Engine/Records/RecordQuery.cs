using Outdial.Engine.Domain;

namespace Outdial.Engine.Records;

/// <summary>A record search: equality or <c>*</c>/<c>?</c> patterns on fields, date ranges, attribute match, sort and paging.</summary>
public sealed record RecordQuery
{
    public string? ListId { get; init; }
    /// <summary>When set, only records of the campaign, with their progress in it.</summary>
    public string? CampaignId { get; init; }
    public IReadOnlyList<FieldFilter> Filters { get; init; } = [];
    public IReadOnlyList<DateRange> DateRanges { get; init; } = [];
    /// <summary>With a campaign: only records assigned to one of these agents (id32), as OBI's agentId=A,B.</summary>
    public IReadOnlyList<string>? AgentIds { get; init; }
    public string? AttributeName { get; init; }
    public string? AttributeValue { get; init; }
    /// <summary>Each: the field's value is one of these (exact); on <see cref="RecordField.numbers"/>, one of the record's numbers
    /// is (see <see cref="FieldValues"/>).</summary>
    public IReadOnlyList<FieldValues> AnyOf { get; init; } = [];
    /// <summary>Each: a count or the priority compared with a value.</summary>
    public IReadOnlyList<CountComparison> Comparisons { get; init; } = [];
    /// <summary>Each: the record has the attribute with one of the values (names and values ignore case).</summary>
    public IReadOnlyList<AttributeValues> AttributesAnyOf { get; init; } = [];
    /// <summary>With a campaign: only records whose latest attempt that reached an agent was handled by one of these (id32).</summary>
    public IReadOnlyList<string>? LastAgentIds { get; init; }
    public RecordSortField Sort { get; init; } = RecordSortField.id;
    public bool Descending { get; init; }
    public int Offset { get; init; }
    public int Limit { get; init; } = 100;
    /// <summary>Keyset cursor: the serial after which to continue (only with the default sort).</summary>
    public long? After { get; init; }
}

public sealed record FieldFilter(RecordField Field, string Pattern);

/// <summary>The field equals one of the values; on <see cref="RecordField.numbers"/>, one of the record's numbers as stored
/// (E.164 where valid, see <see cref="RecordNumbers.Join"/>) does.</summary>
public sealed record FieldValues(RecordField Field, IReadOnlyList<string> Values);

/// <summary>The count compared with a value; with several values (eq or ne only), equal to one of them or to none.</summary>
public sealed record CountComparison(RecordCount Field, Comparison Operator, IReadOnlyList<long> Values);

public sealed record AttributeValues(string Name, IReadOnlyList<string> Values);

public sealed record DateRange(RecordDateField Field, DateTimeOffset? From, DateTimeOffset? To);

#pragma warning disable CA1707 // wire names
public enum RecordField
{
    externalId, numbers, timeZone, priority, dialingMode, previewTime, locked,
    result, callResult, classifier, callCount, lastBNumber, state, applicationState, agentId,
}

/// <summary>Integers a query compares: the record's priority, its attempts in the campaign, those of them that reached an agent.</summary>
public enum RecordCount { priority, callCount, agentCallCount }

public enum Comparison { gt, gte, lte, lt, eq, ne }

public enum RecordDateField { created, modificationDate, date, closed }

public enum RecordSortField { id, externalId, priority, created, modificationDate, date, callCount }
#pragma warning restore CA1707

public static class RecordFieldScope
{
    /// <summary>Fields that live on the per-campaign progress and need a campaign scope.</summary>
    public static bool IsProgressField(RecordField f) => f >= RecordField.result;
}

/// <summary>Checks a user's search pattern: bounded length and wildcards, so no pattern can make a search pathological.</summary>
public static class SearchPattern
{
    public const int MaxLength = 200;
    public const int MaxStars = 8;

    public static string? Check(string pattern)
    {
        if (pattern.Length > MaxLength) return $"pattern longer than {MaxLength} characters";
        var stars = 0;
        for (var i = 0; i < pattern.Length; i++)
            if (pattern[i] == '*' && (i == 0 || pattern[i - 1] != '*')) stars++;
        return stars > MaxStars ? $"pattern has more than {MaxStars} '*' wildcards" : null;
    }

    public static bool HasWildcards(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>
    /// Whether <paramref name="value"/> matches the whole <paramref name="pattern"/> (<c>*</c> any run, <c>?</c> one character),
    /// ignoring case: the in-memory twin of the store's search, for the few rows an adapter filters itself (campaigns).
    /// </summary>
    /// <remarks>Greedy with one backtrack point, linear in practice; patterns pass <see cref="Check"/> first.</remarks>
    public static bool Matches(string pattern, string value)
    {
        int p = 0, v = 0, star = -1, resume = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToUpperInvariant(pattern[p]) == char.ToUpperInvariant(value[v])))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
