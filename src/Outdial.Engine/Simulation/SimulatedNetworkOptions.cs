namespace Outdial.Engine.Simulation;

/// <summary>Outcome rates (probabilities per call; the remainder rings out unanswered) and timing of the simulated network.</summary>
/// <remarks>Times of outcomes are measured from the originate request. Talk and wrap-up time describe the people on
/// either end; they live here so one object describes the whole simulated world.</remarks>
public sealed record SimulatedNetworkOptions
{
    public double PersonRate { get; init; } = 0.25;
    public double MachineRate { get; init; } = 0.08;
    public double FaxRate { get; init; } = 0.01;
    public double BusyRate { get; init; } = 0.07;
    public double InvalidRate { get; init; } = 0.04;
    public double FailedRate { get; init; } = 0.005;

    /// <summary>Time until the far end rings (progress event); outcomes earlier than this skip the ringing event.</summary>
    public Distribution SetupTime { get; init; } = Distribution.Uniform(0.5, 2);
    public Distribution AnswerTime { get; init; } = Distribution.Uniform(4, 16);
    /// <summary>When the network gives up on an unanswered call, unless the ring timeout comes first.</summary>
    public Distribution NoAnswerTime { get; init; } = Distribution.Uniform(20, 25);
    public Distribution BusyTime { get; init; } = Distribution.Uniform(2, 5);
    public Distribution InvalidTime { get; init; } = Distribution.Uniform(1, 3);
    public Distribution FailedTime { get; init; } = Distribution.Fixed(0.5);
    public Distribution TalkTime { get; init; } = Distribution.LogNormal(120, 1);
    public Distribution WrapTime { get; init; } = Distribution.Uniform(10, 20);

    /// <summary>Draw each customer's outcome and times from a stream of its own (keyed by seed and customer: the n-th
    /// call originated, or the customer given), so every pacing policy meets the same customers with the same
    /// outcomes. Off: one generator in call order (as before). The options below apply only when on.</summary>
    public bool CommonRandomNumbers { get; init; }
    /// <summary>Person-answer rate at the time a call is originated (drifting days); <see cref="PersonRate"/> when unset.</summary>
    public Func<DateTimeOffset, double>? PersonRateAt { get; init; }
    /// <summary>Factor on talk time by the time the call is originated (talk lengthening in the afternoon).</summary>
    public Func<DateTimeOffset, double>? TalkFactorAt { get; init; }
    /// <summary>Answering-machine detection: seconds of audio after the answer before a person or a machine is reported.</summary>
    public Distribution? MachineDetectionTime { get; init; }
    /// <summary>Share of people the detection takes for machines (reported as <c>AnsweredMachine</c>: the dialer hangs
    /// up on them, which regulators count as abandoned).</summary>
    public double MachineFalsePositiveRate { get; init; }

    /// <summary>The pacing benchmark's world: 30 % answered by a person, ring 4-14 s answered and 18-26 s not,
    /// talk lognormal mean 120 s CV 1, wrap 15 s.</summary>
    public static SimulatedNetworkOptions Benchmark { get; } = new()
    {
        PersonRate = 0.30,
        MachineRate = 0,
        FaxRate = 0,
        BusyRate = 0,
        InvalidRate = 0,
        FailedRate = 0,
        AnswerTime = Distribution.Uniform(4, 14),
        NoAnswerTime = Distribution.Uniform(18, 26),
        TalkTime = Distribution.LogNormal(120, 1),
        WrapTime = Distribution.Fixed(15),
    };
}
