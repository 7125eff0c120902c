using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Outdial.Bench -- --filter *` runs the BenchmarkDotNet suites;
// `-- import-http ...` runs the end-to-end import scenario (see docs/benchmarks.md);
// `-- pacing [--seeds N] [--target PCT] [--quick]` runs the pacing-quality scenario (see docs/pacing.md).
if (args.Length > 0 && args[0] == "pacing")
{
    Outdial.Bench.PacingScenario.Run(args[1..]);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Outdial.Bench.PhoneNormalizerBench).Assembly).Run(args);
