using Outdial.Engine.Simulation;

namespace Outdial.Bench.Pacing;

/// <summary>A named world for the pacing benchmark: the network (always with common random numbers), the shift's start
/// and who is logged in when.</summary>
internal sealed record PacingWorld(string Name, string Description, SimulatedNetworkOptions Network, DateTimeOffset Start,
    Func<int, IReadOnlyList<AgentShift>?> Shifts)
{
    public static readonly TimeSpan Length = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Eight = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
    private static readonly SimulatedNetworkOptions Base = SimulatedNetworkOptions.Benchmark with { CommonRandomNumbers = true };

    public static IReadOnlyList<PacingWorld> All(double amdFalsePositive) =>
    [
        new("stationary", "30 % person answers all day (docs/pacing.md's world)", Base, Eight, _ => null),
        new("answer-drift", "10:00-18:00; person answers 30 %, 15 % over lunch (12:00-13:30), 35 % from 16:00; each change over 10 min",
            Base with { PersonRateAt = AnswerRateThroughTheDay }, Eight.AddHours(2), _ => null),
        new("shift-change", "half the team logs out over 12:00-12:05 (after its call), a new half logs in over 12:05-12:15",
            Base, Eight, ShiftChange),
        new("amd", $"20 % answering machines; machines and people detected 2-4 s after the answer; {amdFalsePositive:P0} of people taken for machines and hung up on (abandons)",
            Base with { MachineRate = 0.20, MachineDetectionTime = Distribution.Uniform(2, 4), MachineFalsePositiveRate = amdFalsePositive },
            Eight, _ => null),
        new("long-afternoon", "talk time x1 until 12:00, lengthening to x1.5 by 14:00", Base with { TalkFactorAt = AfternoonTalk }, Eight, _ => null),
    ];

    /// <summary>Person-answer rate by time of day: 30 % morning, 15 % lunch, 30 % afternoon, 35 % evening, with
    /// linear changes over 10 minutes centred on 12:00, 13:30 and 16:00.</summary>
    internal static double AnswerRateThroughTheDay(DateTimeOffset at)
    {
        var h = at.TimeOfDay.TotalHours;
        return Ramp(h, 12, 0.30, 0.15) + Ramp(h, 13.5, 0, 0.15) + Ramp(h, 16, 0, 0.05);

        static double Ramp(double h, double centre, double from, double to)
        {
            var x = Math.Clamp((h - centre + (5 / 60.0)) / (10 / 60.0), 0, 1);
            return from + ((to - from) * x);
        }
    }

    internal static double AfternoonTalk(DateTimeOffset at) => 1 + (0.5 * Math.Clamp(at.TimeOfDay.TotalHours - 12, 0, 2) / 2);

    /// <summary>Agents 0..n-1 start the shift; the first half leaves over 4:00-4:05, and n/2 newcomers arrive over 4:05-4:15.</summary>
    internal static IReadOnlyList<AgentShift> ShiftChange(int agents)
    {
        var half = Math.Max(1, agents / 2);
        var shifts = new List<AgentShift>();
        for (var i = 0; i < agents; i++)
            shifts.Add(new(TimeSpan.Zero, i < half ? TimeSpan.FromHours(4) + (TimeSpan.FromMinutes(5) * i / half) : Length));
        for (var i = 0; i < half; i++)
            shifts.Add(new(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(5) + (TimeSpan.FromMinutes(10) * i / half), Length));
        return shifts;
    }
}
