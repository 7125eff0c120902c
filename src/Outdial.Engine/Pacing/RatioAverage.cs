namespace Outdial.Engine.Pacing;

/// <summary>
/// The campaign's increasePredictiveRatio (OBI: "percentage of extra calls made for busy agents"): each decision's ratio
/// weighted by how long it held, decaying with a time constant (default 5 minutes). The last decision alone reads 0
/// whenever that decision happened to be progressive (no agent busy, the hour's budget spent), which says little about
/// how the campaign dials.
/// </summary>
public sealed class RatioAverage(TimeSpan timeConstant)
{
    private double _held;
    private DateTimeOffset? _since;

    public RatioAverage() : this(TimeSpan.FromMinutes(5))
    {
    }

    public double Value { get; private set; }

    /// <summary>Goes on from a value kept earlier (the campaign's stored ratio when its dialer starts again), as if it
    /// had held until <paramref name="at"/>: a restart does not reset the campaign's figure to its first decision's.</summary>
    public void Resume(double value, DateTimeOffset at)
    {
        Value = value;
        _held = value;
        _since = at;
    }

    /// <summary>A decision's ratio at <paramref name="now"/>; the previous one held until then.</summary>
    public void Add(double ratio, DateTimeOffset now)
    {
        if (_since is not { } since)
        {
            Value = ratio;
        }
        else if (now > since)
        {
            var weight = 1 - Math.Exp(-(now - since).TotalSeconds / timeConstant.TotalSeconds);
            Value += weight * (_held - Value);
        }
        _held = ratio;
        _since = now;
    }
}
