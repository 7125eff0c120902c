namespace Outdial.Engine.Pacing;

/// <summary>Calls answered by a person and abandoned in one clock hour (UTC), by the time they were answered.</summary>
public readonly record struct HourAbandons(DateTimeOffset Hour, int Answered, int Abandoned);

/// <summary>A finished call: seconds from originate to its outcome, and whether a person answered.</summary>
public readonly record struct CallSample(double Seconds, bool Person);

/// <summary>A finished conversation: talk and wrap-up seconds.</summary>
public readonly record struct ServiceSample(double TalkSeconds, double WrapSeconds);

/// <summary>What a campaign's dialer learned before it (re)started, read back from the attempt history: the abandons of
/// the last hours, so a restart in the middle of an hour does not give that hour its whole budget again, and the
/// latest calls and conversations, so pacing starts from the campaign's own answer rate and times rather than priors.</summary>
/// <param name="Calls">Oldest first.</param>
/// <param name="Services">Oldest first.</param>
public sealed record PacingHistory(IReadOnlyList<HourAbandons> Hours, IReadOnlyList<CallSample> Calls, IReadOnlyList<ServiceSample> Services)
{
    public static readonly PacingHistory Empty = new([], [], []);

    /// <summary>How far back the abandon counts go: the pacer looks at this hour, the one before and the last 24 h.</summary>
    public static readonly TimeSpan AbandonWindow = TimeSpan.FromHours(24);

    public void ApplyTo(AbandonMeter meter, OutcomeEstimator estimator)
    {
        foreach (var hour in Hours) meter.Add(hour.Hour, hour.Answered, hour.Abandoned);
        foreach (var call in Calls) estimator.RecordCall(call.Seconds, call.Person);
        foreach (var service in Services) estimator.RecordService(service.TalkSeconds, service.WrapSeconds);
    }
}
