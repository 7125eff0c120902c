namespace Outdial.Engine.Simulation;

/// <summary>A non-negative duration distribution in seconds, sampled from a caller-owned seeded <see cref="Random"/>.</summary>
public abstract record Distribution
{
    public abstract double Mean { get; }
    public abstract double Sample(Random random);

    public static Distribution Fixed(double seconds) => new FixedDistribution(seconds);
    public static Distribution Uniform(double min, double max) => new UniformDistribution(min, max);

    /// <summary>Lognormal with the given mean and coefficient of variation (standard deviation / mean).</summary>
    public static Distribution LogNormal(double mean, double cv)
    {
        var sigma2 = Math.Log(1 + (cv * cv));
        return new LogNormalDistribution(Math.Log(mean) - (sigma2 / 2), Math.Sqrt(sigma2));
    }
}

public sealed record FixedDistribution(double Seconds) : Distribution
{
    public override double Mean => Seconds;
    public override double Sample(Random random) => Seconds;
}

public sealed record UniformDistribution(double Min, double Max) : Distribution
{
    public override double Mean => (Min + Max) / 2;
    public override double Sample(Random random) => Min + ((Max - Min) * random.NextDouble());
}

public sealed record LogNormalDistribution(double Mu, double Sigma) : Distribution
{
    public override double Mean => Math.Exp(Mu + (Sigma * Sigma / 2));

    public override double Sample(Random random)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm finite.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Exp(Mu + (Sigma * z));
    }
}
