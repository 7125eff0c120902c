using System.Diagnostics;

namespace Outdial.Server.Tests.Features;

public sealed partial class ApiFuzzTests
{
    private sealed partial class Fuzzer
    {
        // ---- the agent work cases -------------------------------------------------------------------------------------

        /// <summary>
        /// The cases of one agent route, each sent at a stage: the valid request and the key cases, one mutation of every body
        /// field and <paramref name="random"/> random ones (the other fuzz test's), then the route's hand-written odd cases.
        /// </summary>
        public async Task RunWorkAsync(Operation op, int random)
        {
            var r = new Random(StableHash($"{_seed}|work|{op.Key}"));
            _statuses[op.Key] = [];
            var clock = Stopwatch.StartNew();
            List<Plan> plans = [new(PlanKind.Valid), new(PlanKind.NoKey), new(PlanKind.WrongKey), new(PlanKind.AgentKey)];
            if (op.Body == BodyKind.Json)
                for (var f = 0; f < Fields(op.BodySchema!, ValidBody(op), []).Count(); f++) plans.Add(new(PlanKind.BodyField, f));
            plans.AddRange(Enumerable.Repeat(new Plan(PlanKind.Random), random));
            var index = 0;
            foreach (var plan in plans)
            {
                var stage = r.Next(10) < 7 ? WorkingStage(op, r) : Pick(r, Enum.GetValues<Stage>());
                if (!await ReachAsync(stage)) continue;
                _mine = _mine with { Serial = _handle ?? _stale ?? _secondHandle };
                var c = Build(op, r, plan);
                c.Notes.Insert(0, $"stage {stage}");
                await SendWorkAsync(op, c, index++);
            }
            foreach (var (stage, make) in OddCases(op))
            {
                if (!await ReachAsync(stage)) continue;
                var c = make();
                c.Notes.Insert(0, $"stage {stage}");
                await SendWorkAsync(op, c, index++);
            }
            _elapsed[op.Key] = clock.Elapsed;
        }

        /// <summary>The stage where the route does its work.</summary>
        private static Stage WorkingStage(Operation op, Random r) => op.Path.Split('/')[^1] switch
        {
            "preview" => Stage.Ready,
            "dial" or "skip" or "reject" => Stage.Preview,
            "complete" => Pick(r, Stage.Talking, Stage.WrapUp),
            "state" => Pick(r, Stage.Ready, Stage.Paused),
            "session" when op.Method == "POST" => Stage.LoggedOut,
            _ => Pick(r, Stage.Preview, Stage.Talking, Stage.Ready),
        };

        private async Task SendWorkAsync(Operation op, Case c, int index)
        {
            await KeepSecondHoldingAsync();
            await RunnersIdleAsync();
            var stage = _stage;
            var before = await DeskStateAsync();
            var (status, body) = await SendAsync(op, c, index);
            await RunnersIdleAsync();
            var label = $"[{op.Key}] case {index} ({string.Join("; ", c.Notes)}): {c.Method} {Shorten(c.Url)}";
            _lastCase = $"{label} -> {status}";
            if (status is >= 400 and < 500)
            {
                var after = await DeskStateAsync();
                if (after != before) Failures.Add($"{label} -> {status}: changed the agents' sessions or held record:\n  before {Shorten(before)}\n  after  {Shorten(after)}");
                if (stage == Stage.Preview) _lastRefused = label;
                return;
            }
            // A success (or a failure already noted) may have moved the agent: follow what its session says.
            _lastSnapshot = null;
            _backgroundWork = true;
            var state = await StateAsync(_mine.Agent);
            _stage = state switch
            {
                null => Stage.LoggedOut,
                "Paused" => Stage.Paused,
                "Preview" => Stage.Preview,
                "Dialing" => Stage.Dialing,
                "Talking" => Stage.Talking,
                "WrapUp" => Stage.WrapUp,
                _ => Stage.Ready,
            };
            if (_stage == Stage.Preview && op.Path.EndsWith("/preview", StringComparison.Ordinal) && status == 200)
            {
                var preview = JsonDocument.Parse(body).RootElement;
                _handle = preview.GetProperty("handle").GetInt64();
                _heldRecord = preview.GetProperty("record").GetProperty("id").GetString();
            }
            if (_stage is Stage.Ready or Stage.LoggedOut or Stage.Paused && op.Path.Split('/')[^1] is "skip" or "reject" or "complete")
            {
                _stale = _handle ?? _stale;
                if (_stage == Stage.Ready) _stage = op.Path.EndsWith("/complete", StringComparison.Ordinal) ? Stage.Completed : Stage.Skipped;
            }
            if (_stage is not (Stage.Preview or Stage.Dialing or Stage.Talking or Stage.WrapUp)) _handle = null;
            if (status is >= 200 and < 300 && _heldRecord is { } record) await ReadBackAsync(label, record);
            if (_stage is not (Stage.Preview or Stage.Dialing or Stage.Talking or Stage.WrapUp)) _heldRecord = null;
        }

        /// <summary>What an accepted request wrote must read back: the record, its attempts, the campaign's figures.</summary>
        private async Task ReadBackAsync(string label, string record)
        {
            foreach (var url in new[]
            {
                $"/api/v1/records/{record}", $"/api/v1/records/{record}/attempts", $"/api/v1/campaigns/{_mine.Campaign}/statistics",
                $"/api/v1/campaigns/{_mine.Campaign}/completed", $"/api/v1/campaigns/{_mine.Campaign}/result-statistics",
            })
            {
                using var response = await _admin.GetAsync(url);
                if ((int)response.StatusCode >= 500)
                    Failures.Add($"{label} was accepted, then GET {url} -> {(int)response.StatusCode} {Shorten(await response.Content.ReadAsStringAsync())}");
            }
        }

        private Case Json(string method, string path, string json, string note, bool reject = false, int? mustBe = null)
        {
            var c = new Case { Method = method, Path = path, Body = Encoding.UTF8.GetBytes(json), ContentType = "application/json", MustReject = reject, MustBe = mustBe };
            c.Notes.Add(note);
            return c;
        }

        private Case Bare(string method, string path, string note, int? mustBe = null, string? key = null)
        {
            var c = new Case { Method = method, Path = path, MustBe = mustBe, Authorization = key is null ? null : "Bearer " + key };
            c.Notes.Add(note);
            return c;
        }
    }
}
