using BenchmarkDotNet.Attributes;
using Outdial.Engine.Phones;

namespace Outdial.Bench;

/// <summary>Cost of normalizing one number: bounds the import rate on one core.</summary>
[MemoryDiagnoser]
public class PhoneNormalizerBench
{
    private static readonly (string Raw, string Region)[] Inputs =
    [
        ("+44 7400 123456", "GB"), ("07400 123456", "GB"), ("(212) 555-0100", "US"), ("+49 30 901820", "DE"), ("040 1234567", "FI"),
    ];

    [Benchmark(OperationsPerInvoke = 5)]
    public int Normalize()
    {
        var valid = 0;
        foreach (var (raw, region) in Inputs)
            if (PhoneNormalizer.Normalize(raw, region).IsValid) valid++;
        return valid;
    }
}
