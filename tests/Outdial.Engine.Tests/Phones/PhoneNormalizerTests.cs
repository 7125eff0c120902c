using Outdial.Engine.Phones;

namespace Outdial.Engine.Tests.Phones;

public sealed class PhoneNormalizerTests
{
    [Theory]
    [InlineData("+44 7400 123456", null, "+447400123456", "GB")]
    [InlineData("07400 123456", "GB", "+447400123456", "GB")]
    [InlineData("+44.7400.123456", null, "+447400123456", "GB")]
    [InlineData("(212) 555-0100", "US", "+12125550100", "US")]
    [InlineData("0049 30 901820", "DE", "+4930901820", "DE")]
    [InlineData("+358 40 1234567", "US", "+358401234567", "FI")]
    public void Writes_every_common_form_as_E164(string raw, string? region, string e164, string expectedRegion)
    {
        var phone = PhoneNormalizer.Normalize(raw, region);
        Assert.True(phone.IsValid, phone.Error);
        Assert.Equal(e164, phone.E164);
        Assert.Equal(expectedRegion, phone.Region);
        Assert.Equal(raw, phone.Raw);
    }

    [Fact]
    public void Gives_time_zones_of_the_number()
    {
        var ny = PhoneNormalizer.Normalize("+1 212 555 0100", null);
        Assert.Contains("America/New_York", ny.TimeZones);
        Assert.Equal("FIXED_LINE_OR_MOBILE", ny.NumberType);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("hello", "not a phone number")]
    [InlineData("07400 123456", "without a region")]
    [InlineData("+44 12", "")]
    [InlineData("+999 1234567", "country code")]
    public void Reports_why_a_number_is_invalid(string raw, string reason)
    {
        var phone = PhoneNormalizer.Normalize(raw, null);
        Assert.False(phone.IsValid);
        Assert.Null(phone.E164);
        Assert.Contains(reason, phone.Error, StringComparison.Ordinal);
    }
}
