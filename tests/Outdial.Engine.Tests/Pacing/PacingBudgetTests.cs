using Outdial.Engine.Pacing;

namespace Outdial.Engine.Tests.Pacing;

public sealed class PacingBudgetTests
{
    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(2.0, 3)]
    [InlineData(6.0, 10)]
    public void With_bursts_of_one_the_count_is_poisson(double mean, int k)
    {
        double term = Math.Exp(-mean), cdf = 0;
        for (var i = 0; i <= k; i++, term *= mean / i) cdf += term;
        Assert.Equal(1 - cdf, PacingBudget.Above(mean, k, burst: 1), 9);
    }

    [Fact]
    public void Bursts_make_large_counts_likelier_at_the_same_mean()
    {
        Assert.True(PacingBudget.Above(1, 3, burst: 2.5) > PacingBudget.Above(1, 3, burst: 1));
    }

    [Fact]
    public void The_allowed_mean_grows_with_the_abandons_left_and_keeps_the_risk()
    {
        Assert.Equal(0, PacingBudget.MeanWithin(0, 0.001, 2.5));
        var previous = 0.0;
        foreach (var whole in (int[])[1, 2, 5, 20, 80])
        {
            var mean = PacingBudget.MeanWithin(whole, 0.001, 2.5);
            Assert.True(mean > previous && mean < whole, $"{whole}: {mean}");
            Assert.InRange(PacingBudget.Above(mean, whole, 2.5), 0.0009, 0.001);
            previous = mean;
        }
    }
}
