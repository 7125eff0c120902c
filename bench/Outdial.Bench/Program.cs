using BenchmarkDotNet.Running;
using Outdial.Bench;

// `-- import-http [rows]` runs the end-to-end import scenario (see docs/benchmarks.md);
// any other arguments go to BenchmarkDotNet, e.g. `-- --filter *`.
if (args.Length > 0 && args[0] == "import-http") return await ImportHttpScenario.RunAsync(args);
if (args.Length > 0 && args[0] == "import-store") return await ImportStoreScenario.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(PhoneNormalizerBench).Assembly).Run(args);
return 0;
