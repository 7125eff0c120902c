using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Outdial.Engine.Records;
using Outdial.Server.Auth;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Hosting;
using Xunit.Abstractions;

namespace Outdial.Server.Tests.Features;

/// <summary>
/// Fuzzes every operation of the server's own OpenAPI document through HTTP, on a real SQLite file: valid, foreign and
/// malformed path values; wrong, out-of-range and repeated query parameters; mutated and malformed bodies; wrong content
/// types; missing, wrong and agent-role keys. Every answer must be below 500, every 4xx an RFC 9457 problem with a title
/// and a detail; no answer may carry a stack trace or another tenant's data; a write answered 4xx must leave the store
/// (every table, and the import spool directory) exactly as it was; and the server logs no error, also from the
/// background work (import jobs, re-evaluations) that accepted requests start.
/// </summary>
/// <remarks>
/// <para>Deterministic: each operation draws its cases from a <see cref="Random"/> seeded with the run's seed and the
/// operation, so a failure names the seed that reproduces it (<c>OUTDIAL_FUZZ_SEED=n dotnet test --filter ApiFuzzTests</c>).
/// The cases are bounded per operation (about 3,400 requests in all, 15-20 s on two cores).</para>
/// <para>Not reached here: the agent work routes past "is the campaign being dialed" (the dialer is off in this test, so
/// preview/dial/skip/reject/complete answer 409 before a handle is looked up; ApiFuzzTests.AgentWork.cs reaches them on a
/// fake clock), and what Kestrel refuses before the application (a NUL in the
/// path, an over-long URL or header: the test host has no such limits).</para>
/// </remarks>
public sealed partial class ApiFuzzTests : IDisposable
{
    private const int DefaultSeed = 9457;
    /// <summary>Random cases per operation, after the systematic ones (keys, every listed query value, every body field).</summary>
    private const int RandomCasesPerOperation = 30;

    private readonly OutdialFactory _factory = new();
    private readonly CapturingLoggerProvider _errors = new() { MinimumLevel = LogLevel.Error };
    private readonly ITestOutputHelper _output;

    public ApiFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        _factory.LogSink = _errors;
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Every_operation_answers_bad_input_with_a_4xx_problem_and_changes_nothing()
    {
        var seed = Seed();
        var clock = Stopwatch.StartNew();
        using var fuzzer = await Fuzzer.StartAsync(_factory, _errors, seed);
        foreach (var operation in fuzzer.Operations)
            await fuzzer.RunAsync(operation, RandomCasesPerOperation);
        await fuzzer.FinishAsync();
        foreach (var line in fuzzer.Summary.Concat(fuzzer.Failures)) _output.WriteLine(line);
        _output.WriteLine($"{fuzzer.Requests} requests in {clock.Elapsed.TotalSeconds:F1} s (seed {seed})");
        Assert.True(fuzzer.Failures.Count == 0,
            $"{fuzzer.Failures.Count} failures; reproduce with OUTDIAL_FUZZ_SEED={seed}:\n" + string.Join("\n", fuzzer.Failures.Take(60)));
    }

    private static int Seed() => Environment.GetEnvironmentVariable("OUTDIAL_FUZZ_SEED") is { Length: > 0 } s
        ? int.Parse(s, CultureInfo.InvariantCulture)
        : DefaultSeed;

    private enum BodyKind { None, Json, Upload }

    /// <summary>How a query parameter's values are drawn.</summary>
    private enum QueryKind { Int, CampaignId, AgentId, ListId, Date, Cursor, EventTypes, Number, Sort, Text, IntField, Duplicates, Bool, Region, Mapping }

    private sealed record QueryParam(string Name, QueryKind Kind);

    private sealed record Operation(
        string Method, string Path, IReadOnlyList<string> PathParams, IReadOnlyList<QueryParam> Query, JsonObject? BodySchema,
        string? BodySchemaName, BodyKind Body, bool Authenticated, bool AgentKeyForbidden, bool StrictQuery)
    {
        public string Key => $"{Method} {Path}";
    }

    /// <summary>The objects of one tenant the cases address.</summary>
    private sealed record Ids(
        string Queue, string Agent, string Agent2, string List, string Campaign, string DefaultList, string Record, long Serial,
        string Dnc, string Import, string AgentKey);

    /// <summary>One request and what it must get.</summary>
    private sealed class Case
    {
        public required string Method { get; init; }
        public string Path { get; set; } = "";
        public List<(string Name, string Value)> Query { get; } = [];
        public byte[]? Body { get; set; }
        public string? ContentType { get; set; }
        /// <summary>Null: the admin key of the tenant; "" : no Authorization header; otherwise the raw header value.</summary>
        public string? Authorization { get; set; }
        public Dictionary<string, string> Headers { get; } = [];
        public List<string> Notes { get; } = [];
        /// <summary>The input is wrong whatever else the request holds: the answer must be a 4xx.</summary>
        public bool MustReject { get; set; }
        public int? MustBe { get; set; }
        /// <summary>A path value names another tenant's object: the answer must not be a success.</summary>
        public bool Foreign { get; set; }
        /// <summary>A body field names another tenant's object: it must fare no better than an unknown id.</summary>
        public (IReadOnlyList<object> Path, string Id)? ForeignInBody { get; set; }
        /// <summary>A Content-Type chosen by a mutation, applied after all of them (a later body mutation sets its own).</summary>
        public (string? Value, bool Set) ContentTypeOverride { get; set; }

        public string Url => Path + (Query.Count == 0 ? "" : "?" + string.Join("&", Query.Select(q => $"{q.Name}={q.Value}")));
    }

    private sealed partial class Fuzzer : IDisposable
    {
        private static readonly string[] AllowedForAgents = [Policies.Read, Policies.Agent];

        private readonly CapturingLoggerProvider _errors;
        private readonly HttpClient _client;
        private readonly HttpClient _admin;
        private readonly StoreSnapshot _snapshot;
        private readonly ReevaluationWorker _reevaluation;
        private readonly JsonObject _schemas;
        private readonly int _seed;
        private readonly Dictionary<string, Dictionary<int, int>> _statuses = [];
        private readonly Dictionary<string, TimeSpan> _elapsed = [];
        private Ids _mine = null!;
        private Ids _foreign = null!;
        private int _counter;
        private bool _importsStuck;
        /// <summary>A success since the last <see cref="QuiesceAsync"/>: background work may be running.</summary>
        private bool _backgroundWork = true;
        /// <summary>The store as the last refused write left it; null after anything that may have changed it.</summary>
        private SortedDictionary<string, string>? _lastSnapshot;

        private Fuzzer(OutdialFactory factory, CapturingLoggerProvider errors, int seed, HttpClient admin, JsonObject document)
        {
            _errors = errors;
            _seed = seed;
            _admin = admin;
            _client = factory.CreateClient();
            _snapshot = new StoreSnapshot(factory.DataDir);
            _reevaluation = factory.Services.GetRequiredService<ReevaluationWorker>();
            _schemas = document["components"]!["schemas"]!.AsObject();
            Operations = ReadOperations(document, factory.Services.GetRequiredService<EndpointDataSource>());
        }

        public IReadOnlyList<Operation> Operations { get; }
        public List<string> Failures { get; } = [];
        public int Requests { get; private set; }

        public IEnumerable<string> Summary => _statuses.Select(s =>
            $"{s.Key}: {string.Join(" ", s.Value.OrderBy(v => v.Key).Select(v => $"{v.Key}x{v.Value}"))} in {_elapsed[s.Key].TotalMilliseconds:F0} ms");

        public static async Task<Fuzzer> StartAsync(OutdialFactory factory, CapturingLoggerProvider errors, int seed)
        {
            var admin = factory.Admin();
            var other = await factory.ClientFor("fuzz-foreign");
            var document = JsonNode.Parse(await (await factory.CreateClient().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!.AsObject();
            var fuzzer = new Fuzzer(factory, errors, seed, admin, document);
            fuzzer._foreign = await fuzzer.PopulateAsync(other, "B", Marker);
            fuzzer._mine = await fuzzer.PopulateAsync(admin, "A", "mine");
            return fuzzer;
        }

        /// <summary>In every name and free text of the other tenant; never sent by the cases.</summary>
        private const string Marker = "FOREIGNMARK";

        public void Dispose()
        {
            _snapshot.Dispose();
            _client.Dispose();
        }
    }
}
