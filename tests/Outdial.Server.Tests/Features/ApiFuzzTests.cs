using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Outdial.Engine.Domain;
using Outdial.Engine.Records;
using Outdial.Server.Auth;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Hosting;
using Outdial.Server.Tests.Infrastructure;
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
/// <para>Not reached here: the agent work routes past "is the campaign being dialed" (the dialer is off in tests, so
/// preview/dial/skip/reject/complete answer 409 before a handle is looked up; running it would write to the store in the
/// background and make the store comparison meaningless), and what Kestrel refuses before the application (a NUL in the
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
        var seed = Environment.GetEnvironmentVariable("OUTDIAL_FUZZ_SEED") is { Length: > 0 } s
            ? int.Parse(s, CultureInfo.InvariantCulture)
            : DefaultSeed;
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

        // ---- the operations -------------------------------------------------------------------------------------------

        private IReadOnlyList<Operation> ReadOperations(JsonObject document, EndpointDataSource endpoints)
        {
            var routes = endpoints.Endpoints.OfType<RouteEndpoint>()
                .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Key: $"{m} {Normalize(e.RoutePattern.RawText!)}", Endpoint: e)))
                .ToDictionary(x => x.Key, x => x.Endpoint, StringComparer.Ordinal);
            var result = new List<Operation>();
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, node) in item!.AsObject())
                {
                    var op = node!.AsObject();
                    var key = $"{method.ToUpperInvariant()} {path}";
                    if (!routes.TryGetValue(key, out var endpoint))
                    {
                        Failures.Add($"[{key}] is in the OpenAPI document but no endpoint serves it");
                        continue;
                    }
                    var parameters = op["parameters"]?.AsArray().Select(p => p!.AsObject()).ToList() ?? [];
                    var pathParams = parameters.Where(p => (string?)p["in"] == "path").Select(p => (string)p["name"]!).ToList();
                    var query = parameters.Where(p => (string?)p["in"] == "query")
                        .Select(p => new QueryParam((string)p["name"]!, KindOf((string)p["name"]!, Resolve(p["schema"])))).ToList();
                    var bodyRef = op["requestBody"]?["content"]?["application/json"]?["schema"];
                    var upload = endpoint.Metadata.GetMetadata<ImportEndpointMarker>() is not null;
                    var strict = method == "get" && path.EndsWith("/records", StringComparison.Ordinal);
                    query.AddRange(Undeclared(path, upload, strict));
                    var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy ?? "").ToList();
                    result.Add(new Operation(
                        method.ToUpperInvariant(), path, pathParams, query,
                        bodyRef is null ? null : Resolve(bodyRef), ((string?)bodyRef?["$ref"])?.Split('/')[^1],
                        upload ? BodyKind.Upload : bodyRef is null ? BodyKind.None : BodyKind.Json,
                        Authenticated: policies.Count > 0,
                        AgentKeyForbidden: policies.Any(p => !AllowedForAgents.Contains(p)),
                        StrictQuery: strict));
                }
            }
            return result;
        }

        private static string Normalize(string route) => RouteConstraint().Replace(route, "{$1}").TrimEnd('/') is { Length: > 0 } r ? r : "/";

        [GeneratedRegex(@"\{(\w+)(:[^}]*)?\}")]
        private static partial Regex RouteConstraint();

        /// <summary>
        /// Parameters the document cannot declare: these handlers read <c>HttpRequest.Query</c> themselves (the record search's
        /// open set of field filters, the import settings).
        /// </summary>
        private static IEnumerable<QueryParam> Undeclared(string path, bool upload, bool search)
        {
            if (search)
            {
                foreach (var field in Enum.GetNames<RecordField>())
                    yield return new QueryParam(field, field is "priority" or "previewTime" or "callCount" or "lastBNumber" or "locked" ? QueryKind.IntField : QueryKind.Text);
                foreach (var date in Enum.GetNames<RecordDateField>())
                {
                    yield return new QueryParam(date, QueryKind.Date);
                    yield return new QueryParam(date + "End", QueryKind.Date);
                }
                yield return new QueryParam("offset", QueryKind.Int);
                yield return new QueryParam("limit", QueryKind.Int);
                yield return new QueryParam("sort", QueryKind.Sort);
                yield return new QueryParam("cursor", QueryKind.Cursor);
                yield return new QueryParam("attributeName", QueryKind.Text);
                yield return new QueryParam("attributeValue", QueryKind.Text);
            }
            if (upload && !path.StartsWith("/api/v1/dnc", StringComparison.Ordinal))
            {
                yield return new QueryParam("duplicates", QueryKind.Duplicates);
                yield return new QueryParam("atomic", QueryKind.Bool);
                yield return new QueryParam("async", QueryKind.Bool);
                yield return new QueryParam("region", QueryKind.Region);
                yield return new QueryParam("mapping", QueryKind.Mapping);
            }
        }

        private static QueryKind KindOf(string name, JsonObject schema) => name switch
        {
            _ when Types(schema).Contains("integer") => QueryKind.Int,
            "campaignId" => QueryKind.CampaignId,
            "agentId" => QueryKind.AgentId,
            "listId" => QueryKind.ListId,
            "since" or "date" or "startDate" or "endDate" => QueryKind.Date,
            "cursor" => QueryKind.Cursor,
            "types" => QueryKind.EventTypes,
            "number" => QueryKind.Number,
            _ => QueryKind.Text,
        };

        private JsonObject Resolve(JsonNode? schema)
        {
            var s = schema?.AsObject() ?? [];
            if ((string?)s["$ref"] is { } reference) return Resolve(_schemas[reference.Split('/')[^1]]);
            if (s["oneOf"] is JsonArray oneOf)
                return oneOf.Select(o => o!.AsObject()).Where(o => (string?)o["type"] != "null").Select(Resolve).FirstOrDefault() ?? [];
            return s;
        }

        private static HashSet<string> Types(JsonObject schema)
        {
            var types = schema["type"] switch
            {
                JsonArray a => a.Select(t => (string)t!).ToHashSet(StringComparer.Ordinal),
                JsonValue v => [(string)v!],
                _ => new HashSet<string>(StringComparer.Ordinal),
            };
            types.Remove("null");
            if (schema["enum"] is not null) types.Add("enum");
            return types;
        }

        // ---- the tenants' objects -------------------------------------------------------------------------------------

        private int Next() => Interlocked.Increment(ref _counter);

        private async Task<Ids> PopulateAsync(HttpClient c, string tag, string text)
        {
            var n = Next();
            async Task<string> Post(string url, object body) =>
                (await HttpAssert.Ok<JsonElement>(await c.PostAsJsonAsync(url, body), HttpStatusCode.Created)).GetProperty("id").GetString()!;
            var number = tag == "B" ? "+44740099" : "+44740011";
            var queue = await Post("/api/v1/queues", new { name = $"Queue {tag}{n} {text}" });
            var agent = await Post("/api/v1/agents", new { login = $"agent{tag}{n}", name = $"Agent {text}" });
            var agent2 = await Post("/api/v1/agents", new { login = $"agent{tag}{n}b", name = $"Agent {text}" });
            var list = await Post("/api/v1/lists", new { name = $"List {tag}{n} {text}", defaultRegion = "GB" });
            var (campaign, defaultList) = await Fixtures.Campaign(c, $"Campaign {tag}{n} {text}", new { queueId = queue, defaultRegion = "GB" });
            Assert.Equal(HttpStatusCode.NoContent, (await c.PutAsync($"/api/v1/campaigns/{campaign}/lists/{list}", null)).StatusCode);
            var record = await Fixtures.Record(c, campaign, new
            {
                externalId = $"{text}-{n}",
                numbers = $"{number}{n % 10000:D4}",
                attributes = new[] { new { name = "note", value = text } },
            });
            await Post($"/api/v1/lists/{list}/records", new { externalId = $"{text}-{n}-l", numbers = $"{number}{(n + 1) % 10000:D4}" });
            var dnc = await Post("/api/v1/dnc", new { number = $"{number}{(n + 2) % 10000:D4}", reason = text });
            var import = await HttpAssert.Ok<JsonElement>(await c.PostAsync($"/api/v1/campaigns/{campaign}/imports",
                new StringContent($"externalId,phone1\n{text}-{n}-i,{number}{(n + 3) % 10000:D4}\n", Encoding.UTF8, "text/csv")));
            await HttpAssert.Ok<JsonElement>(await c.PostAsJsonAsync($"/api/v1/agents/{agent}/session", new { campaignId = campaign }), HttpStatusCode.Created);
            var key = await HttpAssert.Ok<JsonElement>(await c.PostAsync($"/api/v1/agents/{agent}/keys", null), HttpStatusCode.Created);
            return new Ids(queue, agent, agent2, list, campaign, defaultList, record.GetProperty("id").GetString()!, record.GetProperty("serial").GetInt64(),
                dnc, import.GetProperty("job").GetProperty("id").GetString()!, key.GetProperty("key").GetString()!);
        }

        private static string IdOf(Ids ids, string entity) => entity switch
        {
            "queue" => ids.Queue,
            "agent" => ids.Agent,
            "list" => ids.List,
            "campaign" => ids.Campaign,
            "record" => ids.Record,
            "dnc" => ids.Dnc,
            "import" => ids.Import,
            "handle" => ids.Serial.ToString(CultureInfo.InvariantCulture),
            _ => throw new InvalidOperationException(entity),
        };

        /// <summary>Which object a path parameter names: by its name, or for "{id}" by the collection before it.</summary>
        private static string EntityOf(string path, string param) => param switch
        {
            "agentId" => "agent",
            "campaignId" => "campaign",
            "listId" => "list",
            "handle" => "handle",
            "id" => path.Split('/').TakeWhile(s => s != "{id}").Last() switch
            {
                "queues" => "queue",
                "agents" => "agent",
                "lists" => "list",
                "campaigns" => "campaign",
                "records" => "record",
                "dnc" => "dnc",
                "imports" => "import",
                var other => throw new InvalidOperationException($"{path}: which object does '{{id}}' after '{other}' name? Teach EntityOf."),
            },
            _ => throw new InvalidOperationException($"{path}: unknown path parameter '{param}'; teach EntityOf what it names"),
        };

        // ---- running the cases ----------------------------------------------------------------------------------------

        /// <summary>
        /// The cases of one operation: the valid request and the three key cases; every listed value of every query
        /// parameter once; one mutation of every body field; then <paramref name="random"/> cases of one or two random
        /// mutations each.
        /// </summary>
        public async Task RunAsync(Operation op, int random)
        {
            var r = new Random(StableHash($"{_seed}|{op.Key}"));
            _statuses[op.Key] = [];
            var clock = Stopwatch.StartNew();
            List<Plan> plans;
            try
            {
                plans = [new(PlanKind.Valid), new(PlanKind.NoKey), new(PlanKind.WrongKey), new(PlanKind.AgentKey)];
                for (var p = 0; p < op.Query.Count; p++)
                    for (var v = 0; v < QueryOptions(op.Query[p].Kind).Length; v++) plans.Add(new(PlanKind.QueryValue, p, v));
                if (op.Body == BodyKind.Json)
                    for (var f = 0; f < Fields(op.BodySchema!, ValidBody(op), []).Count(); f++) plans.Add(new(PlanKind.BodyField, f));
                plans.AddRange(Enumerable.Repeat(new Plan(PlanKind.Random), random));
            }
            catch (InvalidOperationException e)
            {
                Failures.Add($"[{op.Key}] cannot build cases: {e.Message}");
                return;
            }
            for (var i = 0; i < plans.Count; i++) await SendAsync(op, Build(op, r, plans[i]), i);
            _elapsed[op.Key] = clock.Elapsed;
        }

        private enum PlanKind { Valid, NoKey, WrongKey, AgentKey, QueryValue, BodyField, Random }

        private readonly record struct Plan(PlanKind Kind, int A = 0, int B = 0);

        private async Task SendAsync(Operation op, Case c, int index)
        {
            var write = c.Method is not ("GET" or "HEAD");
            int? unknownStatus = null;
            var problems = new List<string>();
            if (c.ForeignInBody is { } foreign)
            {
                // First the field with an id that exists nowhere, in an otherwise valid body.
                var probe = ValidBody(op);
                SetAt(probe, foreign.Path, JsonValue.Create(Id32.New()));
                var probeCase = new Case { Method = c.Method, Path = c.Path, Body = Encoding.UTF8.GetBytes(probe.ToJsonString()), ContentType = "application/json" };
                probeCase.Query.AddRange(c.Query);
                var answer = await ExchangeAsync(probeCase);
                unknownStatus = answer.Status;
                problems.AddRange(Check(probeCase, answer.Status, answer.MediaType, answer.Body).Select(p => $"with an unknown id instead: {p}"));
                _lastSnapshot = null;
                _backgroundWork = true;
                if (unknownStatus is >= 200 and < 300)
                {
                    // The server takes any id in this field as given (e.g. a record's agentId, a reservation tag): another
                    // tenant's id would only be stored and shown back to the caller who sent it, which proves nothing.
                    c.Body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(c.Body!).Replace(foreign.Id, Id32.New(), StringComparison.Ordinal));
                    c.Notes.Add("not resolved by the server: sent an unknown id instead");
                    c.ForeignInBody = null;
                }
            }
            SortedDictionary<string, string>? before = null;
            if (write)
            {
                if (_backgroundWork) await QuiesceAsync();
                before = _lastSnapshot ?? _snapshot.Take();
            }
            var (status, mediaType, body) = await ExchangeAsync(c);
            Requests++;
            _statuses[op.Key][status] = _statuses[op.Key].GetValueOrDefault(status) + 1;
            if (status == HostRefused) return;
            problems.AddRange(Check(c, status, mediaType, body));
            if (status is < 400 or >= 500)
            {
                // A success may have changed the store and started background work (re-evaluations, import jobs).
                _lastSnapshot = null;
                _backgroundWork |= write;
            }
            else if (write)
            {
                // Anything a refused request could have started in the background is recorded in the store first (a
                // re-evaluation marker, a job row) or left in the spool directory: the snapshot sees it.
                var after = _snapshot.Take();
                if (!before!.SequenceEqual(after))
                {
                    problems.Add($"a {status} changed the store: {StoreSnapshot.Diff(before!, after)}");
                    _backgroundWork = true;
                }
                _lastSnapshot = after;
            }
            // Background work an earlier case started may log here too: the message says what failed.
            while (_errors.Messages.TryDequeue(out var error)) problems.Add($"the server logged an error: {Shorten(error)}");
            if (c.ForeignInBody is not null && status is >= 200 and < 300)
                problems.Add($"another tenant's id in the body was accepted where an unknown id gets {unknownStatus}");
            if (problems.Count > 0)
                Failures.Add($"[{op.Key}] case {index} ({string.Join("; ", c.Notes)}): {c.Method} {Shorten(c.Url)} " +
                    $"body={Shorten(c.Body is null ? "" : Encoding.UTF8.GetString(c.Body))} -> {status} {mediaType} {Shorten(body)}: {string.Join("; ", problems)}");
            if (c.Method == "DELETE" && status is >= 200 and < 300 && !c.Foreign) await RepairAsync(op);
        }

        /// <summary>Lets the background work of the last cases finish; anything it logged as an error is a failure.</summary>
        public async Task FinishAsync()
        {
            await QuiesceAsync();
            while (_errors.Messages.TryDequeue(out var error)) Failures.Add($"[after the last case] the server logged an error: {Shorten(error)}");
        }

        /// <summary>Makes again what a successful DELETE removed, so later cases address existing objects.</summary>
        private async Task RepairAsync(Operation op)
        {
            var c = _admin;
            // Cheap repairs for the leaves; anything that cascades (an agent, a list, a campaign) rebuilds the tenant's set.
            // A path mutation may have routed the DELETE elsewhere ("..", "%2F"): a repair that fails rebuilds too.
            var repaired = op.Path switch
            {
                "/api/v1/records/{id}" => await c.PostAsJsonAsync($"/api/v1/campaigns/{_mine.Campaign}/records", new { externalId = $"R{Next()}", numbers = "+447400110000" }),
                "/api/v1/dnc/{id}" => await c.PostAsJsonAsync("/api/v1/dnc", new { number = $"+4474006{Next() % 100_000:D5}" }),
                "/api/v1/agents/{agentId}/session" => await c.PostAsJsonAsync($"/api/v1/agents/{_mine.Agent}/session", new { campaignId = _mine.Campaign }),
                "/api/v1/campaigns/{id}/lists/{listId}" => await c.PutAsync($"/api/v1/campaigns/{_mine.Campaign}/lists/{_mine.List}", null),
                _ => null,
            };
            if (repaired is { IsSuccessStatusCode: true })
            {
                var created = repaired.StatusCode == HttpStatusCode.Created ? await repaired.Content.ReadFromJsonAsync<JsonElement>() : default;
                _mine = op.Path switch
                {
                    "/api/v1/records/{id}" => _mine with { Record = created.GetProperty("id").GetString()!, Serial = created.GetProperty("serial").GetInt64() },
                    "/api/v1/dnc/{id}" => _mine with { Dnc = created.GetProperty("id").GetString()! },
                    _ => _mine,
                };
            }
            else
            {
                _mine = await PopulateAsync(_admin, "A", "mine");
            }
            _lastSnapshot = null;
            _backgroundWork = true;
        }

        /// <summary>The request never reached the application (see <see cref="ExchangeAsync"/>).</summary>
        private const int HostRefused = -1;

        private async Task<(int Status, string? MediaType, string Body)> ExchangeAsync(Case c)
        {
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Url);
            if (c.Body is not null)
            {
                request.Content = new ByteArrayContent(c.Body);
                if (c.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", c.ContentType);
            }
            var authorization = c.Authorization ?? "Bearer " + OutdialFactory.BootstrapKey;
            if (authorization.Length > 0) request.Headers.TryAddWithoutValidation("Authorization", authorization);
            foreach (var (name, value) in c.Headers) request.Headers.TryAddWithoutValidation(name, value);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                // The event stream never ends by itself: its status and type are the answer.
                var body = mediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync(timeout.Token);
                return ((int)response.StatusCode, mediaType, body);
            }
            catch (InvalidOperationException e) when (c.Path.Contains("%00", StringComparison.Ordinal) && e.Message.Contains("null characters", StringComparison.Ordinal))
            {
                // A NUL in the path never reaches the application: Kestrel answers 400 by itself, and the test host's
                // PathString refuses to build the request at all.
                return (HostRefused, null, "");
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException)
            {
                return (0, null, $"no answer: {e.GetType().Name}: {e.Message}");
            }
        }

        /// <summary>Waits until background work started by earlier successes (re-evaluations, import jobs) is done.</summary>
        private async Task QuiesceAsync()
        {
            _backgroundWork = false;
            await _reevaluation.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (_importsStuck) return;
            var waited = Stopwatch.StartNew();
            while (_snapshot.Scalar("SELECT count(*) FROM import_jobs WHERE state IN ('queued', 'running')") > 0)
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(10))
                {
                    _importsStuck = true;
                    Failures.Add("an import job stayed queued or running for 10 s");
                    return;
                }
                await Task.Delay(10);
            }
        }

        private List<string> Check(Case c, int status, string? mediaType, string body)
        {
            var problems = new List<string>();
            if (status is 0 or >= 500) problems.Add("server error or no answer");
            if (c.MustBe is { } expected && status != expected) problems.Add($"expected {expected}");
            if (c.MustReject && status is < 400 or >= 500) problems.Add("bad input was not refused with a 4xx");
            if (c.Foreign && status is >= 200 and < 400) problems.Add("another tenant's object answered a success");
            if (status is >= 400 and < 500)
            {
                if (mediaType != "application/problem+json") problems.Add($"a {status} must be application/problem+json");
                else
                {
                    try
                    {
                        var problem = JsonDocument.Parse(body).RootElement;
                        if (problem.ValueKind != JsonValueKind.Object) problems.Add("problem is not an object");
                        else
                        {
                            if (!(problem.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String && t.GetString()!.Trim().Length > 0))
                                problems.Add("problem has no title");
                            if (!(problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String && d.GetString()!.Trim().Length > 0))
                                problems.Add("problem has no detail");
                            if (!(problem.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.Number && st.GetInt32() == status))
                                problems.Add("problem status differs from the response's");
                        }
                    }
                    catch (JsonException)
                    {
                        problems.Add("problem body is not JSON");
                    }
                }
            }
            if (StackTrace().IsMatch(body)) problems.Add("the answer carries a stack trace");
            var request = c.Url + (c.Body is null ? "" : Encoding.UTF8.GetString(c.Body));
            foreach (var secret in ForeignSecrets())
                if (body.Contains(secret, StringComparison.OrdinalIgnoreCase) && !request.Contains(secret, StringComparison.OrdinalIgnoreCase))
                    problems.Add($"the answer shows another tenant's data ({secret})");
            return problems;
        }

        private IEnumerable<string> ForeignSecrets() =>
            [Marker, _foreign.Queue, _foreign.Agent, _foreign.Agent2, _foreign.List, _foreign.Campaign, _foreign.DefaultList, _foreign.Record, _foreign.Dnc,
             _foreign.Import, _foreign.AgentKey];

        [GeneratedRegex(@"(^|\s|\\n)at [\w.`<>+\[\]]+\.[\w.`<>+\[\]]+\(|Exception: |--- End of", RegexOptions.Multiline)]
        private static partial Regex StackTrace();

        private static string Shorten(string s) => s.Length > 300 ? s[..300] + $"...({s.Length} chars)" : s;

        /// <summary>FNV-1a: string.GetHashCode differs per process, and the cases must not.</summary>
        private static int StableHash(string s)
        {
            var h = 2166136261u;
            foreach (var ch in s) h = (h ^ ch) * 16777619u;
            return (int)h;
        }

        // ---- building cases -------------------------------------------------------------------------------------------

        private Case Build(Operation op, Random r, Plan plan)
        {
            var c = new Case { Method = op.Method };
            var values = op.PathParams.ToDictionary(p => p, p => Uri.EscapeDataString(IdOf(_mine, EntityOf(op.Path, p))), StringComparer.Ordinal);
            JsonObject? body = null;
            if (op.Body == BodyKind.Json) body = ValidBody(op);
            else if (op.Body == BodyKind.Upload) SetUpload(op, c, r, valid: true);

            switch (plan.Kind)
            {
                case PlanKind.Valid:
                    c.Notes.Add("valid");
                    break;
                case PlanKind.NoKey:
                    c.Notes.Add("no key");
                    c.Authorization = "";
                    if (op.Authenticated) c.MustBe = 401;
                    break;
                case PlanKind.WrongKey:
                    c.Authorization = Pick(r, "Bearer not-a-key", "Basic !!!", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:wrong")),
                        "two words", "Bearer ", "Bearer " + new string('k', 10_000), OutdialFactory.BootstrapKey + "x", "Digest abc");
                    c.Notes.Add($"wrong key '{Shorten(c.Authorization)}'");
                    if (op.Authenticated) c.MustBe = 401;
                    break;
                case PlanKind.AgentKey:
                    c.Notes.Add("agent key");
                    c.Authorization = "Bearer " + _mine.AgentKey;
                    // An agent key acts for its own agent only: name the other one.
                    if (values.ContainsKey("agentId")) values["agentId"] = _mine.Agent2;
                    if (op.Authenticated && (op.AgentKeyForbidden || values.ContainsKey("agentId"))) c.MustBe = 403;
                    break;
                case PlanKind.QueryValue:
                    {
                        var param = op.Query[plan.A];
                        var (value, reject) = QueryOptions(param.Kind)[plan.B];
                        c.Query.Add((param.Name, value));
                        c.Notes.Add($"{param.Name}={Shorten(value)}");
                        c.MustReject = reject;
                        break;
                    }
                case PlanKind.BodyField:
                    body = MutateBody(op, c, r, body!, plan.A);
                    break;
                default:
                    // Grouped: a second mutation comes from another group, so it never undoes the first (a body replaced,
                    // or the field made wrong dropped again) while the first one's expectation stands.
                    var mutations = new List<(string Group, Action Run)>();
                    if (op.PathParams.Count > 0) mutations.Add(("path", () => MutatePath(op, c, r, values)));
                    mutations.Add(("query", () => MutateQuery(op, c, r)));
                    if (op.Body == BodyKind.Json)
                    {
                        // A body already written out raw (by an earlier mutation) is not mutated again.
                        mutations.Add(("body", () => body = body is null ? null : MutateBody(op, c, r, body)));
                        mutations.Add(("body", () => body = body is null ? null : MutateBody(op, c, r, body)));
                        mutations.Add(("raw", () => { if (body is not null) MalformedJson(c, r, body); body = null; }));
                        mutations.Add(("type", () => { if (body is not null) WrongContentType(c, r, body); body = null; }));
                    }
                    else if (op.Body == BodyKind.Upload)
                    {
                        mutations.Add(("upload", () => SetUpload(op, c, r, valid: false)));
                        mutations.Add(("upload", () => SetUpload(op, c, r, valid: false)));
                        mutations.Add(("type", () => UploadContentType(op, c, r)));
                        // The Idempotency-Key is a record import's; the DNC import ignores it.
                        if (!IsDncImport(op)) mutations.Add(("key", () => IdempotencyKey(c, r)));
                    }
                    else
                    {
                        mutations.Add(("body", () => UnexpectedBody(c, r)));
                    }
                    var first = mutations[r.Next(mutations.Count)];
                    first.Run();
                    // Now and then a second one: the checks must hold whichever the server sees first.
                    var others = mutations.Where(m => m.Group != first.Group).ToList();
                    if (others.Count > 0 && r.Next(4) == 0) others[r.Next(others.Count)].Run();
                    break;
            }
            c.Path = op.PathParams.Aggregate(op.Path, (path, p) => path.Replace("{" + p + "}", values[p], StringComparison.Ordinal));
            if (body is not null)
            {
                c.Body = Encoding.UTF8.GetBytes(body.ToJsonString());
                c.ContentType ??= "application/json";
            }
            if (c.ContentTypeOverride.Set) c.ContentType = c.ContentTypeOverride.Value;
            return c;
        }

        private static bool IsDncImport(Operation op) => op.Path.StartsWith("/api/v1/dnc", StringComparison.Ordinal);

        private static T Pick<T>(Random r, params T[] options) => options[r.Next(options.Length)];

        private void MutatePath(Operation op, Case c, Random r, Dictionary<string, string> values)
        {
            var param = op.PathParams[r.Next(op.PathParams.Count)];
            var entity = EntityOf(op.Path, param);
            var mine = IdOf(_mine, entity);
            (string Value, string Note) choice;
            if (entity == "handle")
            {
                choice = r.Next(8) switch
                {
                    0 => (IdOf(_foreign, entity), "foreign"),
                    1 => ("-1", "negative"),
                    2 => ("0", "zero"),
                    3 => ("9223372036854775807", "max long"),
                    4 => ("9223372036854775808", "over long"),
                    5 => ("abc", "not a number"),
                    6 => ("1e3", "exponent"),
                    _ => ((long.Parse(mine, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture), "next serial"),
                };
            }
            else
            {
                choice = r.Next(22) switch
                {
                    0 or 1 => (IdOf(_foreign, entity), "foreign"),
                    2 => (mine.ToLowerInvariant(), "lower case"),
                    3 => (Guid.ParseExact(mine, "N").ToString("D"), "id36"),
                    4 => (Id32.New(), "unknown"),
                    5 => (Uri.EscapeDataString(RandomText(r, 1 + r.Next(40))), "random"),
                    6 => ("%20", "blank"),
                    7 => ("%00", "NUL"),
                    8 => (Pick(r, "..", "%2E%2E", "."), "dots"),
                    9 => (new string('a', 10_000), "10k"),
                    10 => (Uri.EscapeDataString("ünïcødé-名前-😀"), "unicode"),
                    11 => (Uri.EscapeDataString(Pick(r, "' OR '1'='1", "1; DROP TABLE records; --", "\" OR \"\"=\"", "1)) UNION SELECT * FROM api_keys --")), "SQL"),
                    12 => (Pick(r, "*", "%2A", "a*", "%3F", "a%3Fb", "%25", "_", "%5C"), "wildcard"),
                    13 => ("99999999999999999999999999999999", "huge number"),
                    14 => ("-1", "negative"),
                    15 => (mine[..^1], "one short"),
                    16 => (mine + "0", "one long"),
                    17 => (mine.Replace(mine[^1], mine[^1] == 'G' ? 'F' : 'G'), "not hex"),
                    18 => (Guid.ParseExact(mine, "N").ToString("B"), "braces"),
                    19 => (" " + mine, "leading space"),
                    20 => (Uri.EscapeDataString(mine + "\n"), "newline"),
                    _ => (Pick(r, "a?b", "a#b", "a%2Fb", "a;b", "a,b"), "separator"),
                };
                if (choice.Note is "leading space") choice.Value = Uri.EscapeDataString(choice.Value);
            }
            values[param] = choice.Value;
            c.Notes.Add($"{param}: {choice.Note}");
            if (choice.Note == "foreign") c.Foreign = true;
        }

        private void MutateQuery(Operation op, Case c, Random r)
        {
            var count = op.Query.Count == 0 ? 0 : 1 + r.Next(Math.Min(3, op.Query.Count));
            foreach (var param in op.Query.OrderBy(_ => r.Next()).Take(count))
            {
                var (value, reject) = QueryValue(param.Kind, r);
                c.Query.Add((param.Name, value));
                c.Notes.Add($"{param.Name}={Shorten(value)}");
                c.MustReject |= reject;
                if (r.Next(6) == 0)
                {
                    var (again, _) = QueryValue(param.Kind, r);
                    c.Query.Add((param.Name, again));
                    c.Notes.Add($"repeated {param.Name}");
                }
            }
            if (count == 0 || r.Next(5) == 0)
            {
                var name = Pick(r, "nosuchfield", "Priority", "externalid", "limit ", "%00", "a[b]", "__proto__", "filter");
                c.Query.Add((Uri.EscapeDataString(name) == name ? name : name.Replace(" ", "%20", StringComparison.Ordinal), Pick(r, "1", "*", "")));
                c.Notes.Add($"unknown parameter '{name}'");
                // The record search names fields in its parameters and refuses unknown ones; other operations ignore them.
                if (op.StrictQuery) c.MustReject = true;
            }
        }

        /// <summary>A listed value of the kind, or now and then one of the kind-less odd values.</summary>
        private (string Value, bool Reject) QueryValue(QueryKind kind, Random r) =>
            r.Next(8) == 0 ? (Pick(r, OddQueryValues), false) : Pick(r, QueryOptions(kind));

        private static readonly string[] OddQueryValues =
            ["", "%20", "%00", Uri.EscapeDataString("ünï-名-😀"), new string('a', 10_000), Uri.EscapeDataString("' OR '1'='1"), "*", "%3F", "%25",
             "..", "-1", "99999999999999999999999", "null", "%5B%5D"];

        /// <summary>The values a parameter of the kind is tried with, each with whether it must be refused.</summary>
        private (string Value, bool Reject)[] QueryOptions(QueryKind kind)
        {
            static (string, bool) F(string v) => (v, false);
            static (string, bool) T(string v) => (v, true);
            return kind switch
            {
                QueryKind.Int => [F("1"), F("0"), F("-1"), F("1000"), F("1001"), F("2147483647"), F("2147483648"), F("-2147483649"),
                    F("99999999999999999999999"), T("abc"), T("1.5"), T("0x10"), T("1e3"), F("%207"), F("%2B5")],
                QueryKind.CampaignId => IdOptions(_mine.Campaign, _foreign.Campaign),
                QueryKind.AgentId => IdOptions(_mine.Agent, _foreign.Agent),
                QueryKind.ListId => IdOptions(_mine.List, _foreign.List),
                QueryKind.Date => [F("2026-01-31"), F("2026-01-31T00:00:00Z"), F("2026-01-31T10:00:00Z"), T("2026-02-30"), T("yesterday"),
                    T("2026-13-45"), F("9999-12-31"), F("0001-01-01"), F(Uri.EscapeDataString("9999-12-31T23:59:59-10:00")),
                    F(Uri.EscapeDataString("0001-01-01T00:00:00+14:00")), F("1899-12-31"), F("2026-01-31T00:00:00.0000001Z")],
                QueryKind.Cursor => [F("c1"), F("s1"), T("c-1"), T("s-1"), T("x"), T("c99999999999999999999"), T("s99999999999999999999"), T("c"), T("s"),
                    F("c9223372036854775807"), F("s9223372036854775807")],
                QueryKind.EventTypes => [F("agent.state"), F(Uri.EscapeDataString("agent.state,call.progress")), T("nope"), F("%2C"), T("AGENT.STATE")],
                QueryKind.Number => [F(Uri.EscapeDataString("+447400123456")), F("07400123456"), T("abc"), T("%2B"), F(new string('9', 300))],
                QueryKind.Sort => [F("priority"), F("-priority"), F("created"), F("-id"), F("date"), F("callCount"), T("nosuch"), T("-"), T("--id"), T("Priority")],
                QueryKind.IntField => [F("1"), F("-1"), F("*"), F("1%3F"), T("abc"), T("99999999999999999999"), F("0")],
                QueryKind.Duplicates => [F("reject"), F("skip"), F("overwrite"), F("SKIP"), T("maybe"), T("5"), T("-1")],
                QueryKind.Bool => [F("true"), F("false"), F("1"), F("0"), T("maybe"), T("yes"), T("2")],
                QueryKind.Region => [F("GB"), F("gb"), F("US"), T("ZZ"), T("GBR"), T("1")],
                QueryKind.Mapping => [F(Uri.EscapeDataString("{\"Mobile\":\"phone1\"}")), T("%7B"), T(Uri.EscapeDataString("{\"a\":1}")),
                    T("%5B%5D"), F(Uri.EscapeDataString("{\"phone1\":\"nosuchtarget\"}")), F(Uri.EscapeDataString("{\"phone1\":\"attribute:\"}")),
                    F(Uri.EscapeDataString("{\"phone1\":null}")), F("null")],
                _ => [F("*"), F("%3F"), F(Uri.EscapeDataString("a*b?c")), F("%25"), F("_"), F("%5C"), F(Uri.EscapeDataString("' OR 1=1 --")),
                    F(new string('*', 500)), F(Uri.EscapeDataString("ünï")), F("x"), F("")],
            };
        }

        private static (string, bool)[] IdOptions(string mine, string foreign) =>
        [
            (mine, false), (foreign, false), (Id32.New(), false), (mine.ToLowerInvariant(), false), (Guid.ParseExact(mine, "N").ToString("D"), false),
            ("abc", true), (Uri.EscapeDataString("' OR 1=1 --"), true), (mine + "0", true),
        ];

        private static string RandomText(Random r, int length)
        {
            const string alphabet = "abcXYZ0189-_.~!$&'()*+,;=:@ \"<>{}|^`äß€中😀";
            var sb = new StringBuilder();
            while (sb.Length < length) sb.Append(alphabet[r.Next(alphabet.Length)]);
            return sb.ToString();
        }

        // ---- bodies ---------------------------------------------------------------------------------------------------

        private JsonObject ValidBody(Operation op)
        {
            var n = Next();
            object body = op.BodySchemaName switch
            {
                "QueueInput" => new { name = $"Queue {n}" },
                "AgentInput" => new { login = $"login{n}", name = "Agent" },
                "ListInput" => new { name = $"List {n}", defaultRegion = "GB" },
                "CampaignInput" => new
                {
                    name = $"Campaign {n}",
                    remarks = "fuzz",
                    dialerType = "CampaignDialer",
                    dialingMode = "PREDICTIVE",
                    queueId = _mine.Queue,
                    customIvrNumber = "+441234567890",
                    startDate = "2030-01-01T00:00:00Z",
                    endDate = "2031-01-01T00:00:00Z",
                    timeZone = "Europe/London",
                    abandonRate = 3.0,
                    increasePredictiveRatio = 10.0,
                    retryCount = 3,
                    callingWindow = new { start = "08:00", end = "20:00" },
                    callerId = "+441234567890",
                    defaultRegion = "GB",
                    maxAttemptsPerNumber = 5,
                    maxAttemptsPerDay = 3,
                    rollingCap = new { calls = 3, hours = 24 },
                    noRedialAfterAbandonHours = 72,
                    rules = new Dictionary<string, object> { ["BUSY"] = new { action = "Retry", delaySeconds = 600 } },
                },
                "StatusInput" => new { status = "Passive" },
                "RecordInput" => new
                {
                    externalId = $"X{n}",
                    phones = new[] { "+447400123456", "+447400123457" },
                    attributes = new[] { new { name = "note", value = "fuzz" } },
                    timeZone = "Europe/London",
                    priority = 5,
                    dialingMode = "PREVIEW",
                    previewTime = 30,
                    locked = false,
                    date = "2030-01-01T09:00:00Z",
                    agentId = _mine.Agent,
                    country = "GB",
                },
                "LoginInput" => new { campaignId = _mine.Campaign, state = "Paused" },
                "StateInput" => new { state = "Paused" },
                "CompleteInput" => new
                {
                    result = "SUCCESS",
                    classifier = "sale",
                    amount = 12.5,
                    callbackAt = "2030-01-01T09:00:00Z",
                    callbackType = "Personal",
                    script = new { name = "s", answers = new[] { new { question = "q", answer = "a" } } },
                },
                "DncInput" => new
                {
                    number = $"+4474008{n % 100_000:D5}",
                    campaignId = _mine.Campaign,
                    reason = "asked",
                    source = "fuzz",
                    expires = "2030-01-01T00:00:00Z",
                    country = "GB",
                },
                var other => throw new InvalidOperationException($"no valid body for schema '{other}': add one to ValidBody"),
            };
            return JsonSerializer.SerializeToNode(body)!.AsObject();
        }

        /// <summary>Every field of a body, nested ones too (objects, first array items, dictionary values), with its schema.</summary>
        private IEnumerable<(ImmutableList<object> Path, JsonObject Schema)> Fields(JsonObject schema, JsonNode? value, ImmutableList<object> prefix)
        {
            if (schema["properties"] is JsonObject properties)
            {
                foreach (var (name, property) in properties)
                {
                    var path = prefix.Add(name);
                    var resolved = Resolve(property);
                    yield return (path, resolved);
                    foreach (var f in Children(resolved, (value as JsonObject)?[name], path)) yield return f;
                }
            }
        }

        private IEnumerable<(ImmutableList<object> Path, JsonObject Schema)> Children(JsonObject schema, JsonNode? value, ImmutableList<object> path)
        {
            if (schema["properties"] is not null && value is JsonObject)
                foreach (var f in Fields(schema, value, path)) yield return f;
            if (Types(schema).Contains("array") && value is JsonArray { Count: > 0 } array)
            {
                var items = Resolve(schema["items"]);
                yield return (path.Add(0), items);
                foreach (var f in Children(items, array[0], path.Add(0))) yield return f;
            }
            if (schema["additionalProperties"] is JsonObject values && value is JsonObject map)
            {
                var resolved = Resolve(values);
                foreach (var (key, item) in map)
                {
                    yield return (path.Add(key), resolved);
                    foreach (var f in Children(resolved, item, path.Add(key))) yield return f;
                }
            }
        }

        private static JsonNode? GetAt(JsonNode root, IReadOnlyList<object> path) =>
            path.Aggregate((JsonNode?)root, (node, step) => step is int i ? (node as JsonArray)?[i] : (node as JsonObject)?[(string)step]);

        private static void SetAt(JsonNode root, IReadOnlyList<object> path, JsonNode? value)
        {
            var parent = GetAt(root, path.Take(path.Count - 1).ToList());
            if (path[^1] is int i && parent is JsonArray array) array[i] = value;
            else if (parent is JsonObject obj) obj[(string)path[^1]] = value;
        }

        private static void RemoveAt(JsonNode root, IReadOnlyList<object> path)
        {
            var parent = GetAt(root, path.Take(path.Count - 1).ToList());
            if (path[^1] is int i && parent is JsonArray array) array.RemoveAt(i);
            else if (parent is JsonObject obj) obj.Remove((string)path[^1]);
        }

        private static string Describe(IReadOnlyList<object> path) => string.Join(".", path);

        /// <summary>Raw JSON put where a placeholder string stands (numbers and nestings a JsonNode cannot hold).</summary>
        private const string Raw = "@@RAW@@";

        private JsonObject? MutateBody(Operation op, Case c, Random r, JsonObject body, int? field = null)
        {
            var fields = Fields(op.BodySchema!, body, []).ToList();
            var (path, schema) = fields[field ?? r.Next(fields.Count)];
            var types = Types(schema);
            var name = Describe(path);
            string? raw = null;
            switch (r.Next(10))
            {
                case 0:
                    RemoveAt(body, path);
                    c.Notes.Add($"{name} dropped");
                    break;
                case 1:
                    SetAt(body, path, null);
                    c.Notes.Add($"{name} null");
                    break;
                case 2 or 3:
                    {
                        // A value of another JSON type. Numbers in strings are no wrong type: the web defaults read "12" as 12.
                        var wrong = new List<(JsonNode? Value, string Note)>();
                        if (!types.Contains("string") && !types.Contains("enum")) wrong.Add((JsonValue.Create("abc"), "string"));
                        if (!types.Contains("integer") && !types.Contains("number")) wrong.Add((JsonValue.Create(12345), "number"));
                        if (types.Contains("integer")) wrong.Add((JsonValue.Create(1.5), "fraction"));
                        if (!types.Contains("boolean")) wrong.Add((JsonValue.Create(true), "boolean"));
                        if (!types.Contains("array")) wrong.Add((new JsonArray(), "array"));
                        if (!types.Contains("object")) wrong.Add((new JsonObject(), "object"));
                        if (types.Contains("enum")) wrong.Add((JsonValue.Create(Pick(r, "NOPE", "", " ")), "unknown enum name"));
                        if (types.Contains("enum")) wrong.Add((JsonValue.Create(Pick(r, 0, 1, 99, -1)), "enum as a number"));
                        if (types.Contains("string") && (string?)schema["format"] == "date-time")
                            wrong.Add((JsonValue.Create(Pick(r, "2026-02-30T00:00:00Z", "yesterday", "2026-01-01T25:00:00Z")), "invalid date"));
                        var (value, note) = wrong[r.Next(wrong.Count)];
                        SetAt(body, path, value);
                        c.Notes.Add($"{name} as {note}");
                        c.MustReject = true;
                        break;
                    }
                case 4:
                    {
                        if (types.Contains("string") || types.Contains("enum") || types.Count == 0)
                        {
                            SetAt(body, path, JsonValue.Create(Pick(r, new string('x', 100_000), string.Concat(Enumerable.Repeat("😀", 10_000)), "\0", "\uD800", " ")));
                            c.Notes.Add($"{name} huge or odd string");
                        }
                        else if (types.Contains("integer") || types.Contains("number"))
                        {
                            raw = Pick(r, "2147483648", "-2147483649", "99999999999999999999999999", "1e308", "-1e308", "1e309", "5e-324", "-0", "0.1", "9223372036854775808");
                            SetAt(body, path, JsonValue.Create(Raw));
                            c.Notes.Add($"{name} = {raw}");
                            // An integer beyond int32 cannot be bound at all.
                            if (types.Contains("integer") && raw is "2147483648" or "-2147483649" or "99999999999999999999999999" or "9223372036854775808" or "1e308") c.MustReject = true;
                        }
                        else if (types.Contains("array"))
                        {
                            var item = GetAt(body, path) is JsonArray { Count: > 0 } a ? a[0]?.ToJsonString() ?? "null" : "\"x\"";
                            raw = "[" + string.Join(",", Enumerable.Repeat(item, 1000)) + "]";
                            SetAt(body, path, JsonValue.Create(Raw));
                            c.Notes.Add($"{name} with 1000 items");
                        }
                        else
                        {
                            SetAt(body, path, new JsonObject());
                            c.Notes.Add($"{name} empty object");
                        }
                        break;
                    }
                case 5:
                    raw = r.Next(2) == 0 ? new string('[', 100) + new string(']', 100) : string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
                    SetAt(body, path, JsonValue.Create(Raw));
                    c.Notes.Add($"{name} nested 100 deep");
                    c.MustReject = true;
                    break;
                case 6:
                    {
                        // An unknown field beside this one (unknown fields are refused, not ignored).
                        var parent = GetAt(body, path.Take(path.Count - 1).ToList()) as JsonObject ?? body;
                        var parentSchema = path.Count == 1 ? op.BodySchema! : fields.FirstOrDefault(f => f.Path.SequenceEqual(path.Take(path.Count - 1))).Schema;
                        if (parentSchema?["properties"] is null) parent = body; // beside a dictionary value or an array item: at the top
                        parent[Pick(r, "nosuchfield", "Name ", "__proto__", "$type", "id")] = Pick<JsonNode>(r, 1, "x", new JsonObject());
                        c.Notes.Add($"unknown field beside {name}");
                        c.MustReject = true;
                        break;
                    }
                case 7:
                    {
                        // The same name twice in one object.
                        var current = GetAt(body, path);
                        if (path[^1] is not string key || current is null) goto case 1;
                        var parent = (JsonObject)GetAt(body, path.Take(path.Count - 1).ToList())!;
                        parent["@@DUP@@"] = current.DeepClone();
                        var json = body.ToJsonString().Replace("\"@@DUP@@\"", JsonSerializer.Serialize(key), StringComparison.Ordinal);
                        c.Notes.Add($"{name} twice");
                        c.MustReject = true;
                        c.Body = Encoding.UTF8.GetBytes(json);
                        c.ContentType = "application/json";
                        return null;
                    }
                case 8:
                    if (!types.Contains("array")) goto case 4;
                    SetAt(body, path, Pick<JsonNode>(r, new JsonArray((JsonNode?)null), new JsonArray(new JsonArray()), new JsonArray(), new JsonArray(JsonValue.Create(1), new JsonObject())));
                    c.Notes.Add($"{name} odd items");
                    break;
                default:
                    {
                        // An id field naming another tenant's object (or an id that is not one).
                        var entity = path[^1] is string { Length: > 2 } key && key.EndsWith("Id", StringComparison.Ordinal) ? key[..^2] : "";
                        if (entity is not ("queue" or "agent" or "list" or "campaign")) goto case 1;
                        var foreign = IdOf(_foreign, entity);
                        if (r.Next(3) == 0)
                        {
                            SetAt(body, path, JsonValue.Create(Pick(r, "abc", Id32.New() + "0", "' OR 1=1 --")));
                            c.Notes.Add($"{name} not an id");
                            c.MustReject = true;
                        }
                        else
                        {
                            SetAt(body, path, JsonValue.Create(foreign));
                            c.Notes.Add($"{name} of another tenant");
                            c.ForeignInBody = (path, foreign);
                        }
                        break;
                    }
            }
            if (raw is not null)
            {
                var json = body.ToJsonString().Replace($"\"{Raw}\"", raw, StringComparison.Ordinal);
                c.Body = Encoding.UTF8.GetBytes(json);
                c.ContentType = "application/json";
                return null;
            }
            return body;
        }

        private static void MalformedJson(Case c, Random r, JsonObject body)
        {
            var valid = body.ToJsonString();
            var bytes = Encoding.UTF8.GetBytes(valid);
            (byte[] Bytes, string Note, bool Reject) choice = r.Next(14) switch
            {
                0 => (bytes[..(1 + r.Next(bytes.Length - 1))], "truncated", true),
                1 => (Encoding.UTF8.GetBytes(valid + Pick(r, " x", "}", ",", valid, "\0")), "trailing garbage", true),
                2 => (Replace(bytes, "\"", [0x22, 0xC3, 0x28], first: false), "invalid UTF-8", true),
                3 => (Replace(bytes, "\"", [0x22, 0xED, 0xA0, 0x80], first: false), "UTF-8 surrogate", true),
                4 => (Encoding.Unicode.GetBytes(valid), "UTF-16 without a charset", true),
                5 => ([], "empty", true),
                6 => (Encoding.UTF8.GetBytes(Pick(r, "null", "[]", "\"text\"", "123", "true", "[{}]")), "not an object", true),
                7 => (Encoding.UTF8.GetBytes("/* c */" + valid), "comment", true),
                8 => (Encoding.UTF8.GetBytes(valid.Replace('"', '\'')), "single quotes", true),
                9 => (Encoding.UTF8.GetBytes("   \n\t"), "whitespace only", true),
                10 => ([0xEF, 0xBB, 0xBF, .. bytes], "BOM", false),
                11 => (Encoding.UTF8.GetBytes(valid.Replace(":", ": NaN, \"x\":", StringComparison.Ordinal)), "NaN literal", true),
                12 => (RandomBytes(r, 1 + r.Next(200)), "random bytes", true),
                _ => (Encoding.UTF8.GetBytes(valid.Replace(",", ",,", StringComparison.Ordinal).Replace("{", "{,", StringComparison.Ordinal)), "extra commas", true),
            };
            c.Body = choice.Bytes;
            c.ContentType = "application/json";
            c.Notes.Add($"malformed: {choice.Note}");
            c.MustReject |= choice.Reject;
        }

        private static byte[] RandomBytes(Random r, int length)
        {
            var bytes = new byte[length];
            r.NextBytes(bytes);
            bytes[0] = 0xFF; // never a valid JSON start
            return bytes;
        }

        /// <summary>Replaces the second occurrence of <paramref name="find"/> (inside the first string value) with the bytes.</summary>
        private static byte[] Replace(byte[] source, string find, byte[] with, bool first)
        {
            var needle = Encoding.UTF8.GetBytes(find);
            var at = source.AsSpan().IndexOf(needle);
            if (!first && at >= 0)
            {
                var second = source.AsSpan(at + 1).IndexOf(needle);
                var third = second < 0 ? -1 : source.AsSpan(at + 1 + second + 1).IndexOf(needle);
                at = third < 0 ? at : at + 1 + second + 1 + third;
            }
            return at < 0 ? source : [.. source[..at], .. with, .. source[(at + needle.Length)..]];
        }

        private static void WrongContentType(Case c, Random r, JsonObject body)
        {
            c.Body = Encoding.UTF8.GetBytes(body.ToJsonString());
            var (type, reject) = r.Next(12) switch
            {
                0 => ((string?)null, true),
                1 => ("text/plain", true),
                2 => ("application/xml", true),
                3 => ("application/x-www-form-urlencoded", true),
                4 => ("multipart/form-data; boundary=x", true),
                5 => ("text/csv", true),
                6 => ("application/json; charset=utf-8", false),
                7 => ("application/problem+json", false),
                8 => ("APPLICATION/JSON", false),
                9 => ("application/json; charset=nonsense", false),
                10 => ("application/json; charset=utf-16", false),
                _ => ("application/json;;", false),
            };
            c.ContentTypeOverride = (type, true);
            c.Notes.Add($"Content-Type {type ?? "(none)"}");
            c.MustReject |= reject;
        }

        private static void UnexpectedBody(Case c, Random r)
        {
            c.Body = r.Next(2) == 0 ? Encoding.UTF8.GetBytes("{\"unexpected\": [1, 2, 3]}") : RandomBytes(r, 64);
            c.ContentType = Pick(r, "application/json", "application/octet-stream", "text/plain");
            c.Notes.Add("a body where none is read");
        }

        private void SetUpload(Operation op, Case c, Random r, bool valid)
        {
            var dnc = IsDncImport(op);
            var n = Next();
            var number = $"+4474007{n % 100_000:D5}";
            var csv = dnc ? $"number,reason\n{number},fuzz\n" : $"externalId,phone1,timeZone\nI{n},{number},Europe/London\n";
            if (valid)
            {
                c.Body = Encoding.UTF8.GetBytes(csv);
                c.ContentType = "text/csv";
                return;
            }
            var jsonRow = dnc ? $"{{\"number\":\"{number}\"}}" : $"{{\"externalId\":\"J{n}\",\"phones\":[\"{number}\"]}}";
            var head = dnc ? "number,reason" : "externalId,phone1";
            (string Body, string Type, string Note, bool Reject) choice = r.Next(22) switch
            {
                0 => ($"{head}\n\"I{n},{number}\n", "text/csv", "unbalanced quote", true),
                1 => ($"{head}\n\"I{n}\"x,{number}\n", "text/csv", "text after a closing quote", true),
                2 => ($"{head}\n", "text/csv", "header only", false),
                3 => ("", "text/csv", "empty", false),
                4 => ("\n\n\n", "text/csv", "blank lines", false),
                5 => ($"{head}\n{number}\n1,2,3,4\n", "text/csv", "ragged rows", false),
                6 => (csv.Replace(',', ';'), "text/csv", "semicolons", false),
                7 => ("\uFEFF" + csv, "text/csv", "BOM", false),
                8 => ($"{head}\nI{n}\0,{number}\n", "text/csv", "NUL in a field", false),
                9 => ($"{head}\n{new string('x', 200_000)},{number}\n", "text/csv", "200k field", false),
                10 => ($"{head},{head}\n1,2,3,4\n", "text/csv", "duplicate columns", false),
                11 => ($"nosuch,other\na,b\n", "text/csv", "unknown columns", false),
                12 => ($"{head}\n=cmd|' /C calc'!A0,{number}\n", "text/csv", "formula", false),
                13 => ($"{head}\n\"{new string('y', (1 << 20) + 10)}\",{number}\n", "text/csv", "row over 1 MB", true),
                14 => ($"[{jsonRow}]", "application/json", "JSON array", false),
                15 => (Pick(r, "[]", "{}", "[1,\"x\",null]", "[[]]", $"[{jsonRow.Replace("}", ",\"nosuch\":1}", StringComparison.Ordinal)}]"), "application/json", "odd JSON", false),
                16 => ($"[{jsonRow}", "application/json", "truncated JSON", true),
                17 => (new string('[', 200) + new string(']', 200), "application/json", "deep JSON", true),
                18 => ($"[{jsonRow.Replace("{", "{\"x\":1,\"x\":2,", StringComparison.Ordinal)}]", "application/json", "duplicate keys in a row", false),
                19 => ($"[{jsonRow.Replace("{", "{\"x\":\"@@BAD@@\",", StringComparison.Ordinal)}]", "application/json", "invalid UTF-8 in a row", false),
                20 => ($"{head}\nI{n}@@BAD@@,{number}\n", "text/csv", "invalid UTF-8 in a field", false),
                _ => ("\u00ff\u00fe binary \u0001\u0002", "text/csv", "binary", false),
            };
            c.Body = choice.Note == "binary" ? RandomBytes(r, 300) : Replace(Encoding.UTF8.GetBytes(choice.Body), "@@BAD@@", [0xC3, 0x28, 0xFF], first: true);
            c.ContentType = choice.Type;
            c.Notes.Add($"upload: {choice.Note}");
            c.MustReject |= choice.Reject;
        }

        private static void UploadContentType(Operation op, Case c, Random r)
        {
            var dnc = IsDncImport(op);
            var (type, reject) = r.Next(7) switch
            {
                0 => ((string?)null, true),
                1 => ("application/xml", true),
                2 => ("multipart/form-data; boundary=x", true),
                3 => ("application/octet-stream", true),
                4 => ("text/plain", dnc), // the record import reads text/plain as CSV; the DNC import does not
                5 => ("TEXT/CSV; charset=utf-8", false),
                _ => ("application/csv", dnc),
            };
            c.ContentTypeOverride = (type, true);
            c.Notes.Add($"Content-Type {type ?? "(none)"}");
            c.MustReject |= reject;
        }

        private void IdempotencyKey(Case c, Random r)
        {
            var (key, reject) = r.Next(4) switch
            {
                0 => (new string('k', 300), true),
                1 => ("fuzz-fixed-key", false), // the same key with different bodies: the later ones are refused (422)
                2 => ($"k-{Next()}", false),
                _ => (" ", false),
            };
            c.Headers["Idempotency-Key"] = key;
            c.Notes.Add($"Idempotency-Key '{Shorten(key)}'");
            c.MustReject |= reject;
        }
    }
}
