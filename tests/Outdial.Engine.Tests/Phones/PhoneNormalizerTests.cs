using Outdial.Engine.Phones;
using Outdial.Engine.Records;

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

    /// <summary>The normalizer computes the number type once and looks zones up itself; it must answer exactly what
    /// libphonenumber's own type and zone calls answer, for every region's example numbers of every type and their neighbours.</summary>
    [Fact]
    public void Type_and_time_zones_equal_the_librarys_own_answers()
    {
        var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
        var mapper = PhoneNumbers.PhoneNumberToTimeZonesMapper.GetInstance();
        var checkedNumbers = 0;
        foreach (var region in util.GetSupportedRegions())
            foreach (var type in Enum.GetValues<PhoneNumbers.PhoneNumberType>())
            {
                var example = util.GetExampleNumberForType(region, type);
                if (example is null) continue;
                for (ulong delta = 0; delta < 40; delta += 7)
                {
                    var number = new PhoneNumbers.PhoneNumber.Builder().MergeFrom(example).SetNationalNumber(example.NationalNumber + delta).Build();
                    var e164 = util.Format(number, PhoneNumbers.PhoneNumberFormat.E164);
                    var phone = PhoneNormalizer.Normalize(e164, null);
                    var libraryType = util.GetNumberType(number);
                    if (libraryType == PhoneNumbers.PhoneNumberType.UNKNOWN)
                    {
                        Assert.False(phone.IsValid, e164);
                        continue;
                    }
                    Assert.Equal(libraryType.ToString(), phone.NumberType);
                    Assert.Equal(util.GetRegionCodeForNumber(number), phone.Region);
                    var expected = mapper.GetTimeZonesForNumber(number).Where(z => z != mapper.GetUnknownTimeZone()).ToArray();
                    Assert.Equal(expected, phone.TimeZones);
                    checkedNumbers++;
                }
            }
        Assert.True(checkedNumbers > 2000, $"only {checkedNumbers} numbers checked");
    }

    /// <summary>Random national numbers of every possible length of every region, most of them invalid: valid exactly when
    /// the library says so, and then with its type and region (the normalizer asks for the type once and reads validity from it).</summary>
    [Fact]
    public void Validity_type_and_region_equal_the_librarys_on_random_numbers()
    {
        var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
        var random = new Random(20261125);
        var checkedNumbers = 0;
        foreach (var region in util.GetSupportedRegions().Order(StringComparer.Ordinal))
        {
            var metadata = util.GetMetadataForRegion(region);
            var lengths = metadata.GeneralDesc.PossibleLengthList.DefaultIfEmpty(8).ToArray();
            for (var i = 0; i < 60; i++)
            {
                var length = lengths[random.Next(lengths.Length)] + (i % 10 == 9 ? 1 : 0);
                var digits = string.Concat(Enumerable.Range(0, length).Select(d => (char)('0' + random.Next(d == 0 ? 1 : 0, 10))));
                var raw = $"+{metadata.CountryCode}{digits}";
                var phone = PhoneNormalizer.Normalize(raw, null);
                PhoneNumbers.PhoneNumber parsed;
                try { parsed = util.Parse(raw, "ZZ"); }
                catch (PhoneNumbers.NumberParseException) { Assert.False(phone.IsValid, raw); continue; }
                var libraryType = util.GetNumberType(parsed);
                Assert.Equal(util.IsValidNumber(parsed), phone.IsValid);
                Assert.Equal(libraryType == PhoneNumbers.PhoneNumberType.UNKNOWN, !phone.IsValid);
                if (phone.IsValid)
                {
                    Assert.Equal(libraryType.ToString(), phone.NumberType);
                    Assert.Equal(util.GetRegionCodeForNumber(parsed), phone.Region);
                }
                checkedNumbers++;
            }
        }
        Assert.True(checkedNumbers > 10_000, $"only {checkedNumbers} numbers checked");
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

    [Theory]
    [InlineData("+52145200", true)]
    [InlineData(" +44 (0)20 7946-0958 ", true)]
    [InlineData("020.7946/0958", true)]
    [InlineData("123", true)]
    [InlineData("12", false)]
    [InlineData("+number", false)]
    [InlineData("1-800-FLOWERS", false)]
    [InlineData("++44 20", false)]
    [InlineData("", false)]
    public void Tells_a_number_written_as_digits_from_other_text(string raw, bool expected) =>
        Assert.Equal(expected, PhoneNormalizer.IsWrittenAsNumber(raw));

    [Fact]
    public void A_record_may_keep_a_digits_number_its_region_rejects_flagged_invalid_but_never_text()
    {
        var kept = RecordValidation.Build(new RecordFields { Numbers = ["+52145200", "+447400123456"], InvalidNumbers = InvalidNumbers.KeepDigits }, null, out var error);
        Assert.Null(error);
        Assert.Equal([true, false], kept.Phones.Select(p => p.Invalid));
        Assert.Equal("+52145200", kept.Phones[0].Raw);
        Assert.Null(kept.Phones[0].E164);

        RecordValidation.Build(new RecordFields { Numbers = ["+52145200"] }, null, out error);
        Assert.StartsWith("Invalid numbers: '+52145200'", error, StringComparison.Ordinal);
        RecordValidation.Build(new RecordFields { Numbers = ["+number"], InvalidNumbers = InvalidNumbers.KeepDigits }, null, out error);
        Assert.StartsWith("Invalid numbers: '+number'", error, StringComparison.Ordinal);
    }
}
