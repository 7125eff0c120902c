using Outdial.Engine.Domain;
using PhoneNumbers;

namespace Outdial.Engine.Phones;

/// <summary>The outcome of reading one number as people write it.</summary>
public readonly record struct NormalizedPhone(string Raw, string? E164, string? Region, string? NumberType, string[] TimeZones, string? Error)
{
    public bool IsValid => Error is null;

    public RecordPhone ToRecordPhone() => new()
    {
        Raw = Raw,
        E164 = E164,
        Region = Region,
        NumberType = NumberType,
        TimeZones = TimeZones,
        Invalid = !IsValid,
        InvalidReason = Error,
    };
}

/// <summary>Normalizes numbers to E.164 with libphonenumber; thread-safe.</summary>
public static class PhoneNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper ZoneMapper = PhoneNumberToTimeZonesMapper.GetInstance();
    private static readonly string UnknownZone = ZoneMapper.GetUnknownTimeZone();

    // Taken once: the library builds a new set on every GetSupportedRegions call, measurable per imported row.
    private static readonly System.Collections.Frozen.FrozenSet<string> Regions =
        System.Collections.Frozen.FrozenSet.ToFrozenSet(Util.GetSupportedRegions(), StringComparer.OrdinalIgnoreCase);

    public static bool IsKnownRegion(string? region) => region is not null && Regions.Contains(region);

    /// <summary>Digits with an optional leading + and the usual separators (space - ( ) . /), at least three digits: a
    /// number as written, valid or not. Letters are refused, though libphonenumber would read them as a keypad's digits.</summary>
    public static bool IsWrittenAsNumber(string raw)
    {
        var text = raw.AsSpan().Trim();
        if (text.StartsWith("+")) text = text[1..];
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (c is not (' ' or '-' or '(' or ')' or '.' or '/')) return false;
        }
        return digits >= 3 && text.Length <= 64;
    }

    /// <param name="raw">The number as entered.</param>
    /// <param name="defaultRegion">ISO 3166 alpha-2 region for numbers written nationally; null when unknown.</param>
    public static NormalizedPhone Normalize(string raw, string? defaultRegion)
    {
        var trimmed = raw.Trim();
        if (trimmed.Length == 0) return Fail(raw, "empty number");
        if (trimmed.Length > 64) return Fail(raw, "number longer than 64 characters");
        var region = string.IsNullOrEmpty(defaultRegion) ? "ZZ" : defaultRegion.ToUpperInvariant();
        PhoneNumbers.PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(trimmed, region);
        }
        catch (NumberParseException e)
        {
            return Fail(raw, e.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE when region == "ZZ" => "national number without a region: give a country or write it with +country code",
                ErrorType.INVALID_COUNTRY_CODE => "invalid country code",
                ErrorType.NOT_A_NUMBER => "not a phone number",
                ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => "too short",
                ErrorType.TOO_LONG => "too long",
                _ => e.Message,
            });
        }
        // A number is valid exactly when libphonenumber can give it a type (what IsValidNumber checks); asking once saves a pass.
        var type = Util.GetNumberType(parsed);
        if (type == PhoneNumberType.UNKNOWN)
        {
            var hint = Util.IsPossibleNumber(parsed) ? "not a valid number for its region" : "impossible length for its region";
            return Fail(raw, $"{hint} ({Util.GetRegionCodeForCountryCode(parsed.CountryCode)})");
        }
        return new NormalizedPhone(
            raw,
            Util.Format(parsed, PhoneNumberFormat.E164),
            Util.GetRegionCodeForNumber(parsed),
            TypeNames[(int)type],
            TimeZonesOf(parsed, type),
            null);
    }

    private static readonly string[] TypeNames = Enum.GetNames<PhoneNumberType>()
        .OrderBy(n => (int)Enum.Parse<PhoneNumberType>(n)).ToArray();

    // Country-level zone lists by calling code: what the mapper answers for every non-geographical number of that code.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, string[]> CountryZones = new();

    /// <summary>
    /// What <c>GetTimeZonesForNumber</c> answers, without the second number-type pass it makes internally (the type is
    /// the costliest step): geographical numbers by prefix, others by their country calling code alone.
    /// </summary>
    private static string[] TimeZonesOf(PhoneNumbers.PhoneNumber parsed, PhoneNumberType type)
    {
        if (Util.IsNumberGeographical(type, parsed.CountryCode)) return Known(ZoneMapper.GetTimeZonesForGeographicalNumber(parsed));
        return CountryZones.GetOrAdd(parsed.CountryCode, static (_, p) => Known(ZoneMapper.GetTimeZonesForNumber(p)), parsed);
    }

    private static string[] Known(List<string> zones)
    {
        if (zones.Count == 1) return zones[0] == UnknownZone ? [] : [zones[0]];
        return zones.Where(z => z != UnknownZone).ToArray();
    }

    private static NormalizedPhone Fail(string raw, string reason) => new(raw, null, null, null, [], reason);
}
