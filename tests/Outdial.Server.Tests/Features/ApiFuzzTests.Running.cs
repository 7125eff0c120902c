using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Outdial.Engine.Records;
using Outdial.Server.Auth;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Hosting;

namespace Outdial.Server.Tests.Features;

public sealed partial class ApiFuzzTests
{
    private sealed partial class Fuzzer
    {
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

        /// <returns>The answer's status and body (the agent work cases follow the state it leaves).</returns>
        private async Task<(int Status, string Body)> SendAsync(Operation op, Case c, int index)
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
            if (status == HostRefused) return (status, body);
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
            return (status, body);
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
            await RunnersIdleAsync();
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
             _foreign.Import, _foreign.AgentKey, .. _workSecrets];

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
    }
}
