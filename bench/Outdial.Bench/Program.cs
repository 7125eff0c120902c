using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Outdial.Bench -- --filter *` runs the BenchmarkDotNet suites;
// `-- import-http ...` runs the end-to-end import scenario (see docs/benchmarks.md).
if (args is ["picks", .. var picksArgs]) { await Outdial.Bench.Picks.PickScenario.RunAsync(picksArgs); return; } // see docs/selection.md
BenchmarkSwitcher.FromAssembly(typeof(Outdial.Bench.PhoneNormalizerBench).Assembly).Run(args);
