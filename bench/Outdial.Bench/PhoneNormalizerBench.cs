using BenchmarkDotNet.Attributes;
using Outdial.Engine.Phones;
using PhoneNumbers;

namespace Outdial.Bench;

/// <summary>Cost of normalizing one number, and of each libphonenumber step in it: bounds the import rate per core.</summary>
[MemoryDiagnoser]
public class PhoneNormalizerBench
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();
    private static readonly PhoneNumberToTimeZonesMapper Zones = PhoneNumberToTimeZonesMapper.GetInstance();

    private static readonly (string Raw, string Region)[] Inputs =
    [
        ("+44 7400 123456", "GB"), ("07400 123456", "GB"), ("(212) 555-0100", "US"), ("+49 30 901820", "DE"), ("040 1234567", "FI"),
    ];

    private static readonly PhoneNumbers.PhoneNumber[] Parsed = Inputs.Select(i => Util.Parse(i.Raw, i.Region)).ToArray();

    [Benchmark(OperationsPerInvoke = 5)]
    public int Normalize()
    {
        var valid = 0;
        foreach (var (raw, region) in Inputs)
            if (PhoneNormalizer.Normalize(raw, region).IsValid) valid++;
        return valid;
    }

    [Benchmark(OperationsPerInvoke = 5)]
    public ulong Parse()
    {
        ulong sum = 0;
        foreach (var (raw, region) in Inputs) sum += Util.Parse(raw, region).NationalNumber;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 5)]
    public int NumberType()
    {
        var sum = 0;
        foreach (var p in Parsed) sum += (int)Util.GetNumberType(p);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 5)]
    public int RegionCode()
    {
        var sum = 0;
        foreach (var p in Parsed) sum += Util.GetRegionCodeForNumber(p).Length;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 5)]
    public int TimeZones()
    {
        var sum = 0;
        foreach (var p in Parsed) sum += Zones.GetTimeZonesForNumber(p).Count;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 5)]
    public int FormatE164()
    {
        var sum = 0;
        foreach (var p in Parsed) sum += Util.Format(p, PhoneNumberFormat.E164).Length;
        return sum;
    }
}
