using System.Text.RegularExpressions;

namespace Outdial.Server.Tests.Features;

public sealed partial class ApiFuzzTests
{
    private sealed partial class Fuzzer
    {
        // ---- bringing the agent to a stage, through valid requests ----------------------------------------------------

        private string Desk(string agent) => $"/api/v1/agents/{agent}/session";

        /// <summary>The last refused case sent while the agent held its record: the one to blame if the record is gone.</summary>
        private string? _lastRefused;

        /// <summary>The last case sent, with its answer: named when a stage cannot be reached after it.</summary>
        private string? _lastCase;

        /// <summary>Brings the agent the cases act for to <paramref name="target"/>; false (a failure noted) when it cannot.</summary>
        private async Task<bool> ReachAsync(Stage target)
        {
            if (_stage == target) return true;
            if (!await BackToReadyAsync()) return false;
            var ok = target switch
            {
                Stage.Ready => true,
                Stage.LoggedOut => await StepAsync(_admin.DeleteAsync(Desk(_mine.Agent)), HttpStatusCode.NoContent, Stage.LoggedOut, "log out"),
                Stage.Paused => await StepAsync(_admin.PutAsJsonAsync($"{Desk(_mine.Agent)}/state", new { state = "Paused" }), HttpStatusCode.OK, Stage.Paused, "pause"),
                _ => await TakeRecordAsync(),
            };
            if (!ok || target is Stage.Ready or Stage.LoggedOut or Stage.Paused or Stage.Preview) return ok;
            if (target == Stage.Skipped)
            {
                _stale = _handle;
                return await StepAsync(_admin.PostAsync($"{Desk(_mine.Agent)}/records/{_handle}/skip", null), HttpStatusCode.NoContent, Stage.Ready, "skip")
                    && Became(Stage.Skipped);
            }
            if (!await StepAsync(_admin.PostAsync($"{Desk(_mine.Agent)}/records/{_handle}/dial", null), HttpStatusCode.Accepted, Stage.Dialing, "dial")) return false;
            if (target == Stage.Dialing) return true;
            await AdvanceAsync(AnswerSeconds + 1);
            if (!await ExpectStateAsync("Talking", Stage.Talking, "the call answered")) return false;
            if (target == Stage.Talking) return true;
            if (target == Stage.WrapUp)
            {
                await AdvanceAsync(TalkSeconds + 1);
                return await ExpectStateAsync("WrapUp", Stage.WrapUp, "the customer hung up");
            }
            _stale = _handle;
            return await StepAsync(_admin.PostAsJsonAsync($"{Desk(_mine.Agent)}/complete", new { result = "REFUSAL" }), HttpStatusCode.NoContent, Stage.Ready, "complete")
                && Became(Stage.Completed);
        }

        private bool Became(Stage stage)
        {
            _stage = stage;
            return true;
        }

        private async Task<bool> TakeRecordAsync()
        {
            var response = await _admin.PostAsync($"{Desk(_mine.Agent)}/preview", null);
            await RunnersIdleAsync();
            _lastSnapshot = null;
            if (response.StatusCode != HttpStatusCode.OK) return Stuck("preview", response.StatusCode, await response.Content.ReadAsStringAsync());
            var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
            _handle = preview.GetProperty("handle").GetInt64();
            _heldRecord = preview.GetProperty("record").GetProperty("id").GetString();
            _lastRefused = null;
            return Became(Stage.Preview);
        }

        /// <summary>From wherever the agent is (its session says) back to Ready holding nothing.</summary>
        private async Task<bool> BackToReadyAsync()
        {
            var state = await StateAsync(_mine.Agent);
            var ok = state switch
            {
                null => await StepAsync(_admin.PostAsJsonAsync(Desk(_mine.Agent), new { campaignId = _mine.Campaign }), HttpStatusCode.Created, Stage.Ready, "log in"),
                "Ready" => Became(Stage.Ready),
                "Paused" => await StepAsync(_admin.PutAsJsonAsync($"{Desk(_mine.Agent)}/state", new { state = "Ready" }), HttpStatusCode.OK, Stage.Ready, "ready"),
                "Preview" when _handle is { } h => await StepAsync(_admin.PostAsync($"{Desk(_mine.Agent)}/records/{h}/skip", null), HttpStatusCode.NoContent, Stage.Ready,
                    $"skip the held record (lost since it was previewed? last refused case: {_lastRefused ?? "none"})"),
                "Dialing" => await AnsweredThenCompleteAsync(),
                "Talking" or "WrapUp" => await StepAsync(_admin.PostAsJsonAsync($"{Desk(_mine.Agent)}/complete", new { result = "REFUSAL" }), HttpStatusCode.NoContent, Stage.Ready, "complete"),
                _ => false,
            };
            _handle = null;
            _heldRecord = null;
            if (ok) return true;
            // Start over: logging out gives back whatever the agent held.
            await _admin.DeleteAsync(Desk(_mine.Agent));
            await RunnersIdleAsync();
            return await StepAsync(_admin.PostAsJsonAsync(Desk(_mine.Agent), new { campaignId = _mine.Campaign }), HttpStatusCode.Created, Stage.Ready, "log in again");
        }

        private async Task<bool> AnsweredThenCompleteAsync()
        {
            await AdvanceAsync(AnswerSeconds + 1);
            return await StepAsync(_admin.PostAsJsonAsync($"{Desk(_mine.Agent)}/complete", new { result = "REFUSAL" }), HttpStatusCode.NoContent, Stage.Ready, "complete a dialed call");
        }

        private async Task<bool> StepAsync(Task<HttpResponseMessage> request, HttpStatusCode expected, Stage then, string what)
        {
            using var response = await request;
            await RunnersIdleAsync();
            _lastSnapshot = null;
            _backgroundWork = true;
            if (response.StatusCode != expected) return Stuck(what, response.StatusCode, await response.Content.ReadAsStringAsync());
            return Became(then);
        }

        private async Task<bool> ExpectStateAsync(string state, Stage stage, string what)
        {
            var now = await StateAsync(_mine.Agent);
            return now == state ? Became(stage) : Stuck(what, HttpStatusCode.OK, $"the agent is {now ?? "logged out"}, not {state}");
        }

        private bool Stuck(string what, HttpStatusCode status, string body)
        {
            Failures.Add($"[agent work] cannot {what} from stage {_stage}: {(int)status} {Shorten(body)} (after {_lastCase ?? "no case"})");
            _stage = Stage.Ready; // unknown: the next ReachAsync asks the session
            return false;
        }

        /// <summary>The agent's session state, null when logged out.</summary>
        private async Task<string?> StateAsync(string agent)
        {
            using var response = await _admin.GetAsync(Desk(agent));
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString();
        }

        /// <summary>The sessions of our two agents and the other tenant's, and the record held: what a refused case must keep.</summary>
        private async Task<string> DeskStateAsync()
        {
            var parts = new List<string>();
            foreach (var (client, url) in new[]
            {
                (_admin, Desk(_mine.Agent)), (_admin, Desk(_mine.Agent2)), (_foreignAdmin, Desk(_foreign.Agent)),
                (_admin, _heldRecord is null ? null : $"/api/v1/records/{_heldRecord}"),
            })
            {
                if (url is null) continue;
                using var response = await client.GetAsync(url);
                // A problem's traceId differs per request: not part of the state.
                parts.Add($"{url}: {(int)response.StatusCode} {TraceId().Replace(await response.Content.ReadAsStringAsync(), "")}");
            }
            return string.Join("\n", parts);
        }

        [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
        private static partial Regex TraceId();

        /// <summary>The second agent holds a record again if a case (or its lease) let it go.</summary>
        private async Task KeepSecondHoldingAsync()
        {
            if (await StateAsync(_mine.Agent2) == "Preview") return;
            await _admin.DeleteAsync(Desk(_mine.Agent2));
            await _admin.PostAsJsonAsync(Desk(_mine.Agent2), new { campaignId = _mine.Campaign });
            await RunnersIdleAsync();
            if (await PreviewAsync(_admin, _mine.Agent2) is { } held) _secondHandle = held.Handle;
            _lastSnapshot = null;
        }
    }
}
