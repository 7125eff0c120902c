using Outdial.Engine.Domain;

namespace Outdial.Engine.Tests.Identity;

public sealed class Id32Tests
{
    [Fact]
    public void New_ids_are_upper_case_version_7_guids_ordered_by_time_and_distinct()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ids = Enumerable.Range(0, 5000).Select(_ => Id32.New()).ToArray(); // more than one 4 KB random buffer
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(ids.Length, ids.Distinct().Count());
        foreach (var id in ids)
        {
            Assert.Matches("^[0-9A-F]{32}$", id);
            var guid = Guid.ParseExact(id, "N");
            Assert.Equal(7, guid.Version);
            Assert.Contains(id[16], "89AB"); // RFC 9562 variant: 10xx
            var ms = Convert.ToInt64(id[..12], 16);
            Assert.InRange(ms, before, after);
        }
        var stamps = ids.Select(id => id[..12]).ToArray();
        Assert.Equal(stamps.Order(StringComparer.Ordinal), stamps);
    }

    [Theory]
    [InlineData("0190a3b2-c4d5-7e6f-8a9b-0c1d2e3f4a5b", "0190A3B2C4D57E6F8A9B0C1D2E3F4A5B")]
    [InlineData("0190a3b2c4d57e6f8a9b0c1d2e3f4a5b", "0190A3B2C4D57E6F8A9B0C1D2E3F4A5B")]
    public void Normalizes_id36_and_lower_case(string input, string expected)
    {
        Assert.True(Id32.TryNormalize(input, out var id));
        Assert.Equal(expected, id);
    }
}
