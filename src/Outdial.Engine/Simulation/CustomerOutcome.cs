using Outdial.Engine.Telephony;

namespace Outdial.Engine.Simulation;

/// <summary>What happens when one customer is called: what the network reports and when, and the truth behind it.</summary>
/// <param name="Kind">The progress the network reports (a person taken for a machine reports <c>AnsweredMachine</c>).</param>
/// <param name="Seconds">From the originate request to that report (answer + machine detection for answered calls).</param>
/// <param name="SetupSeconds">Until the far end rings.</param>
/// <param name="Person">A person answered, whatever the report says (a false machine detection hangs up on a person).</param>
/// <param name="TalkSeconds">How long the person talks once bridged.</param>
/// <param name="WrapSeconds">The agent's wrap-up after this call.</param>
public readonly record struct CustomerOutcome(CallProgressKind Kind, double Seconds, double SetupSeconds, bool Person, double TalkSeconds, double WrapSeconds);

/// <summary>A generator reset to a stream of its own for each customer (SplitMix64), so a customer's draws do not depend
/// on who was called before: common random numbers across pacing policies.</summary>
internal sealed class KeyedRandom : Random
{
    private ulong _state;

    public void Reset(int seed, long customer) =>
        _state = ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)customer * 0xD1B54A32D192ED03UL);

    public override double NextDouble() => (Next64() >> 11) * (1.0 / (1UL << 53));
    protected override double Sample() => NextDouble();
    public override int Next() => (int)(Next64() >> 33);
    public override int Next(int maxValue) => (int)(NextDouble() * maxValue);
    public override int Next(int minValue, int maxValue) => minValue + (int)(NextDouble() * ((long)maxValue - minValue));

    private ulong Next64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
