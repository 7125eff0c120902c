using BenchmarkDotNet.Running;
using Outdial.Bench;

// Scenarios (figures in docs/benchmarks.md, docs/selection.md, docs/pacing.md):
//   -- import-http [rows] [--cold]  end-to-end import over HTTP against raw sqlite3 .import (--cold: no warm-up)
//   -- import-store [rows]   import cost split: normalization vs store writes
//   -- picks ...             record picks from 1M / 10M-record campaigns
//   -- pacing [--seeds N] [--target PCT] [--quick]   pacing quality over simulated shifts
//   -- pacing-peers [--quick] [--seeds N] [--agents N] [--world NAME] [--out FILE]   predictive beside VICIdial's
//      ratio and adaptive levels, progressive and the clairvoyant bound, in drifting worlds (issue 25)
//   -- pacing-charts OUTPUT.md [DIR]   docs/bench's pacing charts from `pacing-peers --hours` output
//   -- reads [records] [--seconds N] [--in-call N] [--port N]   record pages, export by cursor, GETs/s under wrk (issue 19)
//   -- obi-reads [records] [--seconds N]   Sinch OBI customer pages and wildcard searches, GETs/s under wrk (issue 20)
//   -- conpeek-reads [records] [--port N]   Conpeek's GET /voice_campaign/{id}/request, default and filtered pages (issue 21)
//   -- obi-list [rows]       the same rows through the native CSV import and OBI's POST …/customers/list (issue 20)
// Any other arguments go to BenchmarkDotNet, e.g. `-- --filter *`.
if (args is ["import-http", ..]) return await ImportHttpScenario.RunAsync(args);
if (args is ["import-store", ..]) return await ImportStoreScenario.RunAsync(args);
if (args is ["reads", ..]) return await Outdial.Bench.Reads.ReadsScenario.RunAsync(args);
if (args is ["obi-list", ..]) return await ObiListScenario.RunAsync(args);
if (args is ["obi-reads", ..]) return await Outdial.Bench.Reads.ObiReadsScenario.RunAsync(args);
if (args is ["conpeek-reads", ..]) return await Outdial.Bench.Reads.ConpeekReadsScenario.RunAsync(args);
if (args is ["picks", .. var picksArgs])
{
    await Outdial.Bench.Picks.PickScenario.RunAsync(picksArgs);
    return 0;
}
if (args is ["pacing-charts", .. var chartArgs])
{
    Outdial.Bench.Pacing.PeerCharts.Run(chartArgs);
    return 0;
}
if (args is ["pacing-peers", .. var peersArgs])
{
    Outdial.Bench.Pacing.PeersScenario.Run(peersArgs);
    return 0;
}
if (args is ["pacing", .. var pacingArgs])
{
    Outdial.Bench.PacingScenario.Run(pacingArgs);
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(PhoneNormalizerBench).Assembly).Run(args);
return 0;
