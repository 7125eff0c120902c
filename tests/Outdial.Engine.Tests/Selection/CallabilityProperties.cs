using CsCheck;
using NodaTime;
using Outdial.Engine.Domain;
using Outdial.Engine.Rules;
using Outdial.Engine.Selection;

namespace Outdial.Engine.Tests.Selection;

/// <summary>Property tests on fixed seeds (deterministic runs; CsCheck still shrinks a failure).</summary>
public sealed class CallabilityProperties
{
    private static readonly string[] Zones =
    [
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Boise",
        "America/North_Dakota/Center", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns",
        "Pacific/Chatham",
    ];

    // DST transitions of 2026 (New York, Berlin, Lord Howe): cases cluster around them.
    private static readonly DateTimeOffset[] Transitions =
    [
        Fixtures.Utc(2026, 3, 8, 7, 0), Fixtures.Utc(2026, 11, 1, 6, 0), Fixtures.Utc(2026, 3, 29, 1, 0),
        Fixtures.Utc(2026, 10, 25, 1, 0), Fixtures.Utc(2026, 4, 4, 15, 0), Fixtures.Utc(2026, 10, 3, 15, 30),
    ];

    private static readonly DateTimeOffset Epoch = Fixtures.Utc(2026, 1, 1, 0, 0);

    private sealed record Case(CallabilityInput Input, DateTimeOffset Now, HashSet<string> Blocked)
    {
        public override string ToString() =>
            $"now={Now:O} window={Input.Campaign.CallingWindow} tz={Input.Record.TimeZone} phones=[{string.Join("; ", Input.Record.Phones.Select(p => $"{p.E164} {string.Join(",", p.TimeZones)} inv={p.Invalid} tries={p.Tries}/{p.TriesToday}@{p.LastTry:O}"))}] " +
            $"progress={Input.Progress} lease={Input.LeasedUntil:O} blocked=[{string.Join(",", Blocked)}] caps={Input.Campaign.MaxAttemptsPerNumber}/{Input.Campaign.MaxAttemptsPerDay}/{Input.Campaign.RollingCapCalls}per{Input.Campaign.RollingCapHours}h";
    }

    private static readonly Gen<DateTimeOffset> GenNow = Gen.OneOf(
        Gen.Int[0, Transitions.Length - 1].SelectMany(i => Gen.Int[-2 * 86400, 2 * 86400].Select(s => Transitions[i].AddSeconds(s))),
        Gen.Int[0, 365 * 86400].Select(s => Epoch.AddSeconds(s)),
        // Exactly on quarter hours, where window edges fall.
        Gen.Int[0, 365 * 96].Select(q => Epoch.AddMinutes(q * 15)));

    private static readonly Gen<CallingWindow> GenWindow = Gen.Frequency(
        (1, Gen.Const(CallingWindow.Default)),
        (3, Gen.Select(Gen.Int[0, 95], Gen.Int[0, 95], (s, e) => new CallingWindow(TimeOnly.MinValue.AddMinutes(s * 15), TimeOnly.MinValue.AddMinutes(e * 15)))));

    private static Gen<Case> GenCase(bool everything) =>
        from now in GenNow
        from window in GenWindow
        from phoneCount in Gen.Int[1, 3]
        from phones in Gen.Select(Gen.Int[0, Zones.Length - 1].Array[1, 2], Gen.Bool, Gen.Int[0, 5], Gen.Int[0, 3], Gen.Int[0, 48 * 60])
            .Select((z, invalid, tries, today, minutesAgo) => (Zones: z.Distinct().Select(i => Zones[i]).ToArray(), invalid, tries, today, minutesAgo))
            .Array[phoneCount]
        from recordZone in Gen.Frequency((4, Gen.Const<string?>((string?)null)), (1, Gen.Int[0, Zones.Length - 1].Select(i => (string?)Zones[i])))
        from lastB in Gen.Int[0, 2]
        from callCount in Gen.Int[0, 5]
        from capsOn in Gen.Bool
        from maxPerNumber in Gen.Int[1, 6]
        from maxPerDay in Gen.Int[1, 4]
        from rollN in Gen.Int[1, 4]
        from rollH in Gen.Int[1, 48]
        from attemptMinutes in Gen.Int[0, 80 * 60].Array[0, 6]
        from abandonedMask in Gen.Int[0, 63]
        from blockedMask in Gen.Int[0, 7]
        from dncMinutes in Gen.Int[-60, 3 * 24 * 60]
        from dueMinutes in Gen.Int[-120, 3 * 24 * 60]
        from leaseMinutes in Gen.Int[-10, 30]
        from recall in Gen.Bool
        select Build(everything, now, window, phones, recordZone, lastB, callCount, capsOn, maxPerNumber, maxPerDay, rollN, rollH,
            attemptMinutes, abandonedMask, blockedMask, dncMinutes, dueMinutes, leaseMinutes, recall);

    private static Case Build(
        bool everything, DateTimeOffset now, CallingWindow window,
        (string[] Zones, bool Invalid, int Tries, int Today, int MinutesAgo)[] phones, string? recordZone, int lastB, int callCount,
        bool capsOn, int maxPerNumber, int maxPerDay, int rollN, int rollH, int[] attemptMinutes, int abandonedMask, int blockedMask,
        int dncMinutes, int dueMinutes, int leaseMinutes, bool recall)
    {
        var campaign = Fixtures.Campaign(window) with { RetryCount = 10, NoRedialAfterAbandonHours = everything ? 72 : 0 };
        var recordPhones = phones.Select((p, i) => new RecordPhone
        {
            Raw = $"+1555000000{i}",
            E164 = $"+1555000000{i}",
            TimeZones = p.Zones,
            Invalid = everything && p.Invalid && i > 0,
            Tries = everything ? p.Tries : 0,
            TriesToday = everything ? p.Today : 0,
            LastTry = everything ? now.AddMinutes(-p.MinutesAgo) : null,
        }).ToArray();
        var record = Fixtures.Record(recordPhones) with { TimeZone = recordZone };
        var progress = Fixtures.Progress() with { CallCount = callCount, LastBNumber = lastB };
        var input = Fixtures.Input(campaign, record, progress);
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        if (!everything) return new(input, now, blocked);

        if (capsOn)
        {
            campaign = campaign with { MaxAttemptsPerNumber = maxPerNumber, MaxAttemptsPerDay = maxPerDay, RollingCapCalls = rollN, RollingCapHours = rollH };
        }
        var attempts = attemptMinutes.Select((m, i) => new NumberAttempt(now.AddMinutes(-m), (abandonedMask >> i & 1) == 1 ? CallResult.ABANDONED : CallResult.NOANSWER)).ToArray();
        var recent = new Dictionary<string, IReadOnlyList<NumberAttempt>>(StringComparer.Ordinal)
        {
            [recordPhones[0].E164!] = attempts,
        };
        for (var i = 0; i < recordPhones.Length; i++)
        {
            if ((blockedMask >> i & 1) == 1) blocked.Add(recordPhones[i].E164!);
        }
        var dncUntil = dncMinutes < 0 ? (DateTimeOffset?)null : now.AddMinutes(dncMinutes);
        progress = progress with
        {
            ScheduledAt = now.AddMinutes(dueMinutes),
            ApplicationState = recall ? ApplicationState.RECALL : ApplicationState.RETRY,
        };
        input = input with
        {
            Campaign = campaign,
            Progress = progress,
            LeasedUntil = now.AddMinutes(leaseMinutes),
            RecentAttempts = recent,
            DoNotCall = n => blocked.Contains(n) ? new DncStatus(true, dncUntil) : DncStatus.Clear,
        };
        return new(input, now, blocked);
    }

    private static void Check<T>(Gen<T> gen, Action<T> assert, int cases)
    {
        for (ulong i = 1; i <= (ulong)cases; i++) gen.Sample(assert, seed: new PCG(7, i).ToString(i), iter: 1, threads: 1);
    }

    /// <summary>The window in the zones the number is dialed in, computed independently of the engine.</summary>
    private static bool InsideWindowEverywhere(CallabilityInput input, int phoneIndex, DateTimeOffset at)
    {
        var phone = input.Record.Phones[phoneIndex];
        IEnumerable<string> zones = input.Record.TimeZone is { } own ? [own] : phone.TimeZones.Count > 0 ? phone.TimeZones : ["UTC"];
        var w = input.Campaign.CallingWindow;
        return zones.All(z =>
        {
            var t = TimeOnly.FromTimeSpan(Instant.FromDateTimeOffset(at).InZone(DateTimeZoneProviders.Tzdb[z]).TimeOfDay.ToTimeOnly().ToTimeSpan());
            if (w.Start == w.End) return true;
            return w.Start < w.End ? t >= w.Start && t < w.End : t >= w.Start || t < w.End;
        });
    }

    /// <summary>Every rule, restated plainly for the number the engine chose.</summary>
    private static void AssertDialable(Case c, int index, DateTimeOffset at)
    {
        var input = c.Input;
        var campaign = input.Campaign;
        var phone = input.Record.Phones[index];
        Assert.True(InsideWindowEverywhere(input, index, at), $"outside the window at {at:O}");
        Assert.False(phone.Invalid);
        Assert.False(input.DoNotCall?.Invoke(phone.E164!).BlocksAt(at) ?? false, "blocked number");
        Assert.True(input.LeasedUntil is null || input.LeasedUntil <= at, "leased");
        Assert.True(input.Progress.ScheduledAt is null || input.Progress.ScheduledAt <= at, "not due");
        if (campaign.MaxAttemptsPerNumber is { } max) Assert.True(phone.Tries < max, "per-number cap");
        var recent = input.RecentAttempts?.GetValueOrDefault(phone.E164!) ?? [];
        if (campaign.RollingCapCalls is { } n && campaign.RollingCapHours is { } h)
        {
            Assert.True(recent.Count(a => a.Started > at.AddHours(-h)) < n, "rolling cap");
        }
        if (campaign.NoRedialAfterAbandonHours > 0)
        {
            Assert.DoesNotContain(recent, a => a.Result == CallResult.ABANDONED && a.Started > at.AddHours(-campaign.NoRedialAfterAbandonHours));
        }
    }

    private static void AssertExact(Case c)
    {
        var r = Callability.Evaluate(c.Input, c.Now);
        if (r.Callable)
        {
            Assert.Equal(c.Now, r.NextEligibleAt);
            AssertDialable(c, r.PhoneIndex!.Value, c.Now);
            return;
        }
        Assert.NotEqual(NotCallableReason.None, r.Reason);
        if (r.NextEligibleAt is not { } next)
        {
            for (var k = 1; k <= 40; k++) Assert.False(Callability.Evaluate(c.Input, c.Now.AddHours(k * 5.25)).Callable, $"never, yet callable after {k * 5.25} h");
            return;
        }
        Assert.True(next > c.Now);
        var at = Callability.Evaluate(c.Input, next);
        Assert.True(at.Callable, $"not callable at its next eligible time {next:O}: {at.Reason}");
        AssertDialable(c, at.PhoneIndex!.Value, next);
        Assert.False(Callability.Evaluate(c.Input, next.AddSeconds(-1)).Callable, "callable a second before its next eligible time");
        var span = next - c.Now;
        for (var k = 1; k < 16; k++) Assert.False(Callability.Evaluate(c.Input, c.Now + span * k / 16).Callable, "callable before its next eligible time");
    }

    [Fact]
    public void Never_callable_outside_the_window_and_next_eligible_time_is_exact() =>
        Check(GenCase(everything: false), AssertExact, 400);

    [Fact]
    public void All_rules_hold_and_next_eligible_time_is_exact() =>
        Check(GenCase(everything: true), AssertExact, 400);

    [Fact]
    public void Dialing_whenever_callable_respects_caps_windows_and_MAXCALLS() =>
        Check(
            from c in GenCase(everything: false)
            from perDay in Gen.Int[1, 3]
            from rollN in Gen.Int[1, 3]
            from rollH in Gen.Int[1, 30]
            from retries in Gen.Int[0, 6]
            from result in Gen.Int[0, 3].Select(i => new[] { CallResult.BUSY, CallResult.NOANSWER, CallResult.NOT_DIALED, CallResult.AGENT_REJECTED }[i])
            select (c, perDay, rollN, rollH, retries, result),
            t =>
            {
                var campaign = t.c.Input.Campaign with { MaxAttemptsPerDay = t.perDay, RollingCapCalls = t.rollN, RollingCapHours = t.rollH, RetryCount = t.retries };
                var record = t.c.Input.Record;
                var progress = Fixtures.Progress();
                var log = new Dictionary<string, List<NumberAttempt>>(StringComparer.Ordinal);
                var now = t.c.Now;
                var dials = 0;
                var stoppedBy = NotCallableReason.None;
                while (dials < 12)
                {
                    var input = Fixtures.Input(campaign, record, progress) with
                    {
                        RecentAttempts = log.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<NumberAttempt>)kv.Value),
                    };
                    var r = Callability.Evaluate(input, now);
                    if (!r.Callable)
                    {
                        if (r.NextEligibleAt is not { } next)
                        {
                            stoppedBy = r.Reason;
                            break;
                        }
                        now = next;
                        continue;
                    }
                    var index = r.PhoneIndex!.Value;
                    AssertDialable(t.c with { Input = input }, index, now);
                    var e164 = record.Phones[index].E164!;
                    var history = log.TryGetValue(e164, out var l) ? l : log[e164] = [];
                    history.Add(new NumberAttempt(now, t.result));
                    Assert.True(history.Count(a => a.Started > now.AddHours(-t.rollH)) <= t.rollN, "rolling cap exceeded");
                    var applied = ResultRules.Apply(campaign, record, progress, new AttemptOutcome(t.result, index), now);
                    (record, progress) = (applied.Record, applied.Progress);
                    Assert.True(record.Phones[index].TriesToday <= t.perDay, "per-day cap exceeded");
                    dials++;
                }
                Assert.Equal(dials, progress.CallCount);
                if (dials == t.retries + 1)
                {
                    Assert.Equal(NotCallableReason.CapsReached, stoppedBy);
                    Assert.Equal(CallResult.MAXCALLS, progress.Result);
                }
                else if (dials < 12)
                {
                    // Only numbers whose zones never share a window moment can stop dialing before the budget is spent.
                    Assert.Equal(NotCallableReason.OutsideCallingWindow, stoppedBy);
                }
            },
            150);
}
