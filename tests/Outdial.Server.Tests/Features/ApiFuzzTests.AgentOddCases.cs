using System.Globalization;

namespace Outdial.Server.Tests.Features;

public sealed partial class ApiFuzzTests
{
    private sealed partial class Fuzzer
    {
        // ---- hand-written odd requests of the agent routes, each at the stage it is about -----------------------------

        private IEnumerable<(Stage Stage, Func<Case> Make)> OddCases(Operation op)
        {
            var desk = Desk(_mine.Agent);
            switch (op.Method, op.Path.Split('/')[^1])
            {
                case ("POST", "complete"):
                    foreach (var c in CompleteCases()) yield return c;
                    break;
                case ("POST", "dial" or "skip" or "reject"):
                    {
                        var action = op.Path.Split('/')[^1];
                        string At(long? handle) => $"{desk}/records/{handle}/{action}";
                        yield return (Stage.Preview, () => Bare("POST", At(_secondHandle), "the second agent's handle", 409));
                        yield return (Stage.Preview, () => Bare("POST", At(_foreign.Serial), "the other tenant's handle", 409));
                        yield return (Stage.Preview, () => Bare("POST", At(_handle + 1), "the next handle", 409));
                        yield return (Stage.Preview, () => Bare("POST", $"{Desk(_mine.Agent2)}/records/{_handle}/{action}", "the second agent with our handle", 409));
                        yield return (Stage.Preview, () => Bare("POST", $"{Desk(_mine.Agent2)}/records/{_secondHandle}/{action}", "our agent's key on the second agent", 403, _mine.AgentKey));
                        yield return (Stage.Preview, () => Bare("POST", $"{Desk(_foreign.Agent)}/records/{_foreign.Serial}/{action}", "the other tenant's agent and handle", 404));
                        yield return (Stage.Skipped, () => Bare("POST", At(_stale), "the handle just skipped", 409));
                        yield return (Stage.Completed, () => Bare("POST", At(_stale), "the handle just completed", 409));
                        yield return (Stage.Dialing, () => Bare("POST", At(_handle), "the handle being dialed", 409));
                        yield return (Stage.Talking, () => Bare("POST", At(_handle), "the handle talked to", 409));
                        yield return (Stage.WrapUp, () => Bare("POST", At(_handle), "the handle wrapped up", 409));
                        yield return (Stage.Paused, () => Bare("POST", At(_secondHandle), "paused", 409));
                        yield return (Stage.LoggedOut, () => Bare("POST", At(_secondHandle), "logged out", 409));
                        yield return (Stage.Preview, () => Bare("POST", At(_handle), "our own agent key", key: _mine.AgentKey));
                        break;
                    }
                case ("POST", "preview"):
                    foreach (var stage in new[] { Stage.Preview, Stage.Dialing, Stage.Talking, Stage.WrapUp, Stage.Paused, Stage.LoggedOut })
                        yield return (stage, () => Bare("POST", $"{desk}/preview", "preview again or not ready", 409));
                    yield return (Stage.Ready, () => Bare("POST", $"{Desk(_foreign.Agent)}/preview", "the other tenant's agent", 404));
                    yield return (Stage.Ready, () => Bare("POST", $"{desk}/preview", "our own agent key", key: _mine.AgentKey));
                    break;
                case ("PUT", "state"):
                    foreach (var stage in new[] { Stage.Preview, Stage.Dialing, Stage.Talking, Stage.WrapUp })
                        foreach (var state in new[] { "Ready", "Paused" })
                            yield return (stage, () => Json("PUT", $"{desk}/state", $"{{\"state\":\"{state}\"}}", $"{state} while holding work"));
                    foreach (var state in new[] { "Preview", "Talking", "LoggedOut", "ready", "1" })
                        yield return (Stage.Ready, () => Json("PUT", $"{desk}/state", $"{{\"state\":\"{state}\"}}", $"state {state}", reject: state != "ready"));
                    yield return (Stage.Ready, () => Json("PUT", $"{desk}/state", "{\"state\":\"Paused\",\"state\":\"Ready\"}", "state twice", reject: true));
                    break;
                case ("POST", "session"):
                    foreach (var stage in new[] { Stage.Ready, Stage.Preview, Stage.Talking, Stage.Paused })
                    {
                        yield return (stage, () => Json("POST", desk, $"{{\"campaignId\":\"{_mine.Campaign}\",\"state\":\"Paused\"}}", "log in again, Paused"));
                        yield return (stage, () => Json("POST", desk, $"{{\"campaignId\":\"{_otherCampaign}\"}}", "log in to another campaign"));
                    }
                    yield return (Stage.LoggedOut, () => Json("POST", desk, $"{{\"campaignId\":\"{_foreign.Campaign}\"}}", "the other tenant's campaign", mustBe: 404));
                    yield return (Stage.LoggedOut, () => Json("POST", desk, $"{{\"campaignId\":\"{_mine.Campaign}\",\"state\":\"Talking\"}}", "log in Talking", mustBe: 400));
                    yield return (Stage.LoggedOut, () => Json("POST", Desk(_foreign.Agent), $"{{\"campaignId\":\"{_mine.Campaign}\"}}", "the other tenant's agent", mustBe: 404));
                    break;
                case ("DELETE", "session"):
                    foreach (var stage in new[] { Stage.Preview, Stage.Dialing, Stage.Talking, Stage.WrapUp, Stage.LoggedOut })
                        yield return (stage, () => Bare("DELETE", desk, "log out while working", stage == Stage.LoggedOut ? 409 : null));
                    yield return (Stage.Ready, () => Bare("DELETE", Desk(_foreign.Agent), "the other tenant's agent", 404));
                    break;
            }
        }

        private IEnumerable<(Stage, Func<Case>)> CompleteCases()
        {
            var url = $"{Desk(_mine.Agent)}/complete";
            (Stage, Func<Case>) Body(string fields, string note, bool reject = false, int? mustBe = null, Stage stage = Stage.Talking) =>
                (stage, () => Json("POST", url, "{\"result\":\"SUCCESS\"" + (fields.Length > 0 ? "," + fields : "") + "}", note, reject, mustBe));
            string In(TimeSpan from) => JsonSerializer.Serialize((_time.GetUtcNow() + from).ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture));
            string Local(TimeSpan from) => JsonSerializer.Serialize((_time.GetUtcNow() + from).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));

            // Results.
            foreach (var result in new[] { "WIN", "", "0", "DIALING", "MAXCALLS" })
                yield return (Stage.Talking, () => Json("POST", url, $"{{\"result\":\"{result}\"}}", $"result {result}", reject: true));
            yield return (Stage.Talking, () => Json("POST", url, "{\"result\":3}", "result as a number", reject: true));
            yield return (Stage.Talking, () => Json("POST", url, "{\"result\":\"SUCCESS\",\"result\":\"REFUSAL\"}", "result twice", reject: true));
            foreach (var result in new[] { "success", "SKIP", "NOT_DIALED", "ABANDONED", "AGENT_REJECTED", "INVALID_NUMBER", "BUSY" })
                yield return (Stage.WrapUp, () => Json("POST", url, $"{{\"result\":\"{result}\"}}", $"result {result}"));
            // Classifiers and amounts.
            yield return Body($"\"classifier\":\"{new string('c', 201)}\"", "classifier of 201", reject: true);
            yield return Body($"\"classifier\":\"{new string('c', 200)}\"", "classifier of 200");
            yield return Body("\"classifier\":\"\\u0000\\ud83d\\ude00\"", "classifier NUL and emoji");
            yield return Body("\"classifier\":[\"a\"]", "classifier as an array", reject: true);
            foreach (var amount in new[] { "-5", "0", "1e-28", "0.1234567890123456789", "79228162514264337593543950335", "-79228162514264337593543950335", "1e15", "\"12.50\"" })
                yield return Body($"\"amount\":{amount}", $"amount {amount}", stage: Stage.WrapUp);
            foreach (var amount in new[] { "79228162514264337593543950336", "1e30", "-1e30", "\"abc\"", "NaN", "\"NaN\"", "\"Infinity\"", "true" })
                yield return Body($"\"amount\":{amount}", $"amount {amount}", reject: true);
            // Callbacks.
            yield return Body($"\"callbackAt\":{In(TimeSpan.FromHours(-1))}", "callback an hour ago", reject: true);
            yield return Body($"\"callbackAt\":{In(TimeSpan.Zero)}", "callback now", reject: true);
            yield return Body("\"callbackAt\":\"2020-01-01T00:00:00Z\"", "callback in 2020", reject: true);
            yield return Body("\"callbackAt\":\"1900-01-01T00:00:00Z\"", "callback in 1900", reject: true);
            yield return Body($"\"callbackAt\":{In(TimeSpan.FromMinutes(1))},\"callbackType\":\"Personal\"", "personal callback in a minute");
            yield return Body($"\"callbackAt\":{In(TimeSpan.FromDays(2))},\"callbackType\":\"Campaign\"", "campaign callback in two days");
            yield return Body("\"callbackAt\":\"9999-12-31T23:59:59Z\"", "callback at the end of 9999");
            yield return Body("\"callbackAt\":\"9999-12-31T23:59:59+14:00\"", "callback at the end of 9999, +14:00");
            yield return Body("\"callbackAt\":\"9999-12-31T23:59:59-14:00\"", "callback past 9999 in UTC", reject: true);
            yield return Body($"\"callbackAt\":{Local(TimeSpan.FromHours(2))}", "callback without an offset", reject: true);
            yield return Body("\"callbackAt\":\"2030-01-01\"", "callback as a date only", reject: true);
            foreach (var at in new[] { "2030-01-01T09:00:00+25:00", "2030-01-01T09:00:00 Europe/London", "2030-01-01T09:00:00[Europe/London]", "2030-01-01T09:00:00 CET", "tomorrow", "" })
                yield return Body($"\"callbackAt\":\"{at}\"", $"callback '{at}'", reject: true);
            yield return Body("\"callbackAt\":1893488400", "callback as epoch seconds", reject: true);
            yield return Body("\"callbackType\":\"personal\",\"callbackAt\":\"2030-01-01T09:00:00Z\"", "callbackType in lower case", reject: true);
            yield return Body("\"callbackType\":\"Someone\",\"callbackAt\":\"2030-01-01T09:00:00Z\"", "callbackType unknown", reject: true);
            yield return Body("\"callbackType\":\"Campaign\"", "callbackType without callbackAt");
            // Scripts.
            string Answers(int n, int length = 1) => "[" + string.Join(",", Enumerable.Repeat($"{{\"question\":\"q\",\"answer\":\"{new string('a', length)}\"}}", n)) + "]";
            yield return Body($"\"script\":{{\"name\":\"s\",\"answers\":{Answers(200)}}}", "script of 200 answers");
            yield return Body($"\"script\":{{\"name\":\"s\",\"answers\":{Answers(201)}}}", "script of 201 answers", reject: true);
            yield return Body($"\"script\":{{\"name\":\"s\",\"answers\":{Answers(1, 4001)}}}", "script answer of 4001", reject: true);
            yield return Body($"\"script\":{{\"name\":\"{new string('n', 100_000)}\",\"answers\":[]}}", "script name of 100k", reject: true);
            yield return Body("\"script\":{\"name\":\"s\",\"answers\":[]}", "script without answers");
            foreach (var script in new[]
            {
                "{\"name\":\"\",\"answers\":[]}", "{\"name\":\" \",\"answers\":[]}", "{\"name\":\"s\"}", "{\"answers\":[]}", "{}", "[]", "\"s\"",
                "{\"name\":\"s\",\"answers\":[null]}", "{\"name\":\"s\",\"answers\":[{}]}", "{\"name\":\"s\",\"answers\":[{\"question\":\"q\"}]}",
                "{\"name\":\"s\",\"answers\":[{\"question\":\"q\",\"answer\":1}]}", "{\"name\":\"s\",\"answers\":[{\"question\":\"q\",\"answer\":\"a\",\"extra\":1}]}",
                "{\"name\":\"s\",\"answers\":[{\"question\":\"q\",\"answer\":\"a\",\"answer\":\"b\"}]}", "{\"name\":\"s\",\"answers\":{\"q\":\"a\"}}",
                "{\"name\":\"s\",\"answers\":[[\"q\",\"a\"]]}", "{\"name\":\"s\",\"answers\":[],\"name\":\"t\"}",
            })
                yield return Body($"\"script\":{script}", $"script {script}", reject: true);
            // Completing where there is no call.
            foreach (var stage in new[] { Stage.Preview, Stage.Dialing, Stage.Skipped, Stage.Completed, Stage.Ready, Stage.Paused, Stage.LoggedOut })
                yield return Body("", "nothing to complete", mustBe: 409, stage: stage);
            yield return (Stage.Talking, () => Json("POST", $"{Desk(_mine.Agent2)}/complete", "{\"result\":\"SUCCESS\"}", "the second agent, who holds no call", mustBe: 409));
            yield return (Stage.Talking, () => Json("POST", $"{Desk(_foreign.Agent)}/complete", "{\"result\":\"SUCCESS\"}", "the other tenant's agent", mustBe: 404));
            yield return (Stage.Talking, () =>
            {
                var c = Json("POST", $"{Desk(_mine.Agent2)}/complete", "{\"result\":\"SUCCESS\"}", "our agent's key on the second agent", mustBe: 403);
                c.Authorization = "Bearer " + _mine.AgentKey;
                return c;
            }
            );
        }
    }
}
