using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Outdial.Bench -- --filter *` runs the BenchmarkDotNet suites;
// `-- import-http ...` runs the end-to-end import scenario (see docs/benchmarks.md).
BenchmarkSwitcher.FromAssembly(typeof(Outdial.Bench.PhoneNormalizerBench).Assembly).Run(args);
