using Outdial.Engine.Domain;

namespace Outdial.Engine.Selection;

/// <summary>One earlier attempt on a number, in any campaign of the tenant.</summary>
public readonly record struct NumberAttempt(DateTimeOffset Started, CallResult? Result = null);

/// <summary>Everything <see cref="Callability.Evaluate"/> needs about one record in one campaign.</summary>
public sealed record CallabilityInput
{
    public required Campaign Campaign { get; init; }
    public required CallRecord Record { get; init; }
    public required RecordProgress Progress { get; init; }
    /// <summary>Expiry of the record's current lease; a past expiry counts as not leased.</summary>
    public DateTimeOffset? LeasedUntil { get; init; }
    /// <summary>Null: no number is blocked.</summary>
    public DoNotCallCheck? DoNotCall { get; init; }
    /// <summary>
    /// Recent attempts per E.164 number across the tenant's campaigns, at least as far back as the larger of the
    /// campaign's <see cref="Campaign.RollingCapHours"/> and <see cref="Campaign.NoRedialAfterAbandonHours"/>.
    /// Missing numbers have no recent attempts.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<NumberAttempt>>? RecentAttempts { get; init; }
}
