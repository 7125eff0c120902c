using System.Globalization;
using PhoneNumbers;

namespace Outdial.Server.Tests.Features.Imports;

/// <summary>
/// Writes a CSV as people export them (BOM, ';' delimiter, quoted delimiters, quotes and newlines, non-Latin names) with
/// numbers of many regions in every written form, corrupted numbers and duplicate externalIds, and remembers what each
/// row must become according to libphonenumber itself.
/// </summary>
internal sealed class ImportFileGenerator
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly string[] Regions = ["GB", "US", "DE", "FR", "IN", "BR", "JP", "AU", "FI", "PL", "ES", "IT", "MX", "ZA", "SE", "CA"];
    private static readonly string[] Names = ["Kathy \"K\" Smith", "Jürgen Groß", "山田 太郎", "Zoë; O'Neil", "Анна Иванова", "محمد علي", "Line\nBreak", "Ægir, Þór"];

    public sealed record Row(string ExternalId, string Raw, string Country, string? ExpectedE164, bool IsDuplicate, string Name);

    public List<Row> Rows { get; } = [];

    public string Generate(int count, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        sb.Append('\uFEFF');
        sb.Append("Customer no;Name;Mobile;Country;City\r\n");
        var used = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var region = Regions[random.Next(Regions.Length)];
            var example = Util.GetExampleNumberForType(region, random.Next(2) == 0 ? PhoneNumberType.MOBILE : PhoneNumberType.FIXED_LINE)
                          ?? Util.GetExampleNumber(region);
            var national = example.NationalNumber.ToString(CultureInfo.InvariantCulture);
            // Vary the last digits so numbers differ; libphonenumber decides whether the result is still valid.
            var varied = national[..^2] + random.Next(100).ToString("D2", CultureInfo.InvariantCulture);
            var number = Util.Parse("+" + example.CountryCode + varied, "ZZ");
            string raw;
            var country = region;
            var form = random.Next(6);
            raw = form switch
            {
                0 => Util.Format(number, PhoneNumberFormat.E164),
                1 => Util.Format(number, PhoneNumberFormat.INTERNATIONAL),
                2 => Util.Format(number, PhoneNumberFormat.NATIONAL),
                3 => Util.Format(number, PhoneNumberFormat.INTERNATIONAL).Replace(' ', '.'),
                4 => "00" + Util.Format(number, PhoneNumberFormat.INTERNATIONAL)[1..],
                _ => Util.Format(number, PhoneNumberFormat.RFC3966)[4..],
            };
            if (form != 2 && random.Next(3) == 0) country = "";
            if (random.Next(12) == 0)
                raw = random.Next(3) switch { 0 => raw[..Math.Max(2, raw.Length / 3)], 1 => raw + "99999", _ => "call me " + raw[..3] };

            string? expected;
            try
            {
                var parsed = Util.Parse(raw, country.Length == 0 ? "ZZ" : country);
                expected = Util.IsValidNumber(parsed) ? Util.Format(parsed, PhoneNumberFormat.E164) : null;
            }
            catch (NumberParseException)
            {
                expected = null;
            }

            var duplicate = used.Count > 0 && random.Next(15) == 0;
            var externalId = duplicate ? used[random.Next(used.Count)] : $"EXT-{i:D6}";
            if (!duplicate) used.Add(externalId);
            var name = Names[random.Next(Names.Length)];
            Rows.Add(new Row(externalId, raw, country, expected, duplicate, name));
            sb.Append(externalId).Append(';').Append(Quote(name)).Append(';').Append(Quote(raw)).Append(';').Append(country).Append(';')
              .Append(Quote($"City {i % 7}; \"Quarter\"")).Append("\r\n");
        }
        return sb.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(";\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
