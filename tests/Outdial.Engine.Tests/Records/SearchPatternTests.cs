using Outdial.Engine.Records;

namespace Outdial.Engine.Tests.Records;

public sealed class SearchPatternTests
{
    [Theory]
    [InlineData("Test*", "Test Campaign", true)]
    [InlineData("test*", "Test Campaign", true)]
    [InlineData("*Campaign", "Test Campaign", true)]
    [InlineData("*Campaign", "Test Campaign 2", false)]
    [InlineData("T?st*", "Test", true)]
    [InlineData("T?st", "Tst", false)]
    [InlineData("?", "", false)]
    [InlineData("", "", true)]
    [InlineData("*", "", true)]
    [InlineData("**", "abc", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYcZ", false)]
    [InlineData("*aab", "aaab", true)]
    [InlineData("Test", "Test Campaign", false)]
    [InlineData("Campaign", "Test Campaign", false)]
    [InlineData("+358*", "+358401234567", true)]
    public void Matches_the_whole_value_ignoring_case(string pattern, string value, bool matches) =>
        Assert.Equal(matches, SearchPattern.Matches(pattern, value));

    [Fact]
    public void A_long_value_against_many_stars_stays_fast()
    {
        var value = new string('a', 10_000);
        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(SearchPattern.Matches("*a*a*a*a*a*a*a*b", value));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"took {started.Elapsed}");
    }
}
