using Outdial.Engine.Domain;

namespace Outdial.Engine.Selection;

/// <summary>Whether a number is blocked, and until when (null: without expiry).</summary>
public readonly record struct DncStatus(bool Blocked, DateTimeOffset? Until)
{
    public static readonly DncStatus Clear = new(false, null);
    public static readonly DncStatus Forever = new(true, null);

    public static DncStatus BlockedUntil(DateTimeOffset until) => new(true, until);

    /// <summary>True when the block applies at <paramref name="at"/>.</summary>
    public bool BlocksAt(DateTimeOffset at) => Blocked && (Until is null || Until.Value > at);
}

/// <summary>Looks up an E.164 number on the do-not-call lists that apply to the campaign being evaluated.</summary>
/// <remarks>Must be pure for the duration of one evaluation; a host re-checks at the moment of dialing by calling it again.</remarks>
public delegate DncStatus DoNotCallCheck(string e164);

/// <summary>Builds a <see cref="DoNotCallCheck"/> from stored entries.</summary>
public static class DoNotCallList
{
    public static readonly DoNotCallCheck None = static _ => DncStatus.Clear;

    /// <summary>Entries with no campaign apply tenant-wide; entries of another campaign are ignored.</summary>
    /// <remarks>Several entries for one number combine to the longest block (no expiry beats any expiry).</remarks>
    public static DoNotCallCheck From(IEnumerable<DncEntry> entries, string campaignId)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var blocked = new Dictionary<string, DncStatus>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (e.CampaignId is not null && !string.Equals(e.CampaignId, campaignId, StringComparison.Ordinal)) continue;
            var status = e.Expires is { } x ? DncStatus.BlockedUntil(x) : DncStatus.Forever;
            if (blocked.TryGetValue(e.E164, out var prior)) status = Longer(prior, status);
            blocked[e.E164] = status;
        }
        return e164 => blocked.TryGetValue(e164, out var s) ? s : DncStatus.Clear;
    }

    private static DncStatus Longer(DncStatus a, DncStatus b) =>
        a.Until is null || b.Until is null ? DncStatus.Forever : a.Until >= b.Until ? a : b;
}
