namespace Outdial.Data.Sqlite;

public sealed partial class SqliteStore
{
    private const long HourMs = 3_600_000, DayMs = 86_400_000, AllTimeMs = 1_000_000_000_000_000;

    /// <summary>An open end for periods with no end (the abandon rates): a whole day, later than any attempt.</summary>
    private const long EndOfTimeMs = 100_000 * DayMs;

    /// <summary>A campaign's calls and handled customers in a period, by agent key: a campaign_call_tallies row summed
    /// (0018_call_tallies.sql).</summary>
    internal sealed class CallTally
    {
        public string Agent { get; set; } = "";
        public long Calls { get; set; }
        public long Successful { get; set; }
        public long Refusal { get; set; }
        public long AmountCalls { get; set; }
        public long Skip { get; set; }
        public long Reject { get; set; }
        public long OperLogout { get; set; }
        public long NotDialed { get; set; }
        public long Hangup { get; set; }
        public long Abandoned { get; set; }
        public long AnsweredByPerson { get; set; }
        public double Amount { get; set; }
        public long Handled { get; set; }

        public void Add(CallTally o)
        {
            (Calls, Successful, Refusal, AmountCalls, Skip, Reject) = (Calls + o.Calls, Successful + o.Successful, Refusal + o.Refusal,
                AmountCalls + o.AmountCalls, Skip + o.Skip, Reject + o.Reject);
            (OperLogout, NotDialed, Hangup, Abandoned, AnsweredByPerson, Amount, Handled) = (OperLogout + o.OperLogout,
                NotDialed + o.NotDialed, Hangup + o.Hangup, Abandoned + o.Abandoned, AnsweredByPerson + o.AnsweredByPerson, Amount + o.Amount,
                Handled + o.Handled);
        }

        /// <summary>The tally key of an agent filter: null every key (also '!', customers closed without an attempt), ""
        /// the calls without agent, else that agent's.</summary>
        public static bool Matches(string key, string? agentUid) => agentUid is null || key == (agentUid == "" ? "" : "=" + agentUid);

        /// <summary>The agent of a key with calls: null for calls without agent.</summary>
        public static string? AgentOf(string key) => key == "" ? null : key[1..];
    }

    /// <summary>[from, to) as all time (from the beginning until now), or as whole UTC days, whole hours at its edges and,
    /// between the nearest hour and each end, the attempts themselves, added or taken off (an end at or after now is
    /// rounded up: nothing started after now).</summary>
    internal readonly record struct TallyCover(long D0, long D1, long H0, long H1, long H2, long H3, long R0, long R1, long S0, long R2, long R3, long S1, long A1 = 0)
    {
        public static TallyCover Of(long from, long to, long now)
        {
            // Since the beginning until now (a campaign's total): all time, less what started later (nothing, as a rule).
            if (from == 0 && to >= now && to <= AllTimeMs) return new(0, 0, 0, 0, 0, 0, 0, 0, 1, to, AllTimeMs, -1, A1: 1);
            if (to - from < HourMs) return new(0, 0, 0, 0, 0, 0, from, to, 1, 0, 0, 0);
            var lo = FloorDiv(from + HourMs / 2, HourMs) * HourMs;
            var hi = (to >= now ? FloorDiv(to + HourMs - 1, HourMs) : FloorDiv(to + HourMs / 2, HourMs)) * HourMs;
            // Raw edges: [from, lo) added when lo is later, [lo, from) taken off when earlier; the same for [hi, to).
            var (r0, r1, s0) = lo >= from ? (from, lo, 1L) : (lo, from, -1L);
            var (r2, r3, s1) = hi <= to ? (hi, to, 1L) : (to, hi, -1L);
            var (firstDay, lastDay) = (FloorDiv(lo + DayMs - 1, DayMs), FloorDiv(hi, DayMs));
            return firstDay < lastDay
                ? new(firstDay, lastDay, lo / HourMs, firstDay * 24, lastDay * 24, hi / HourMs, r0, r1, s0, r2, r3, s1)
                : new(0, 0, lo / HourMs, hi / HourMs, 0, 0, r0, r1, s0, r2, r3, s1);
        }

        private static long FloorDiv(long a, long b) => a / b - (a % b < 0 ? 1 : 0);
    }

    private const string RawCalls = """
        coalesce('=' || a.agent_id, ''), {0}, {0} * (a.result IN ('SUCCESS', 'REFUSAL')), {0} * (a.result = 'REFUSAL'),
        {0} * (a.amount IS NOT NULL AND a.amount <> 0), {0} * (a.result = 'SKIP'), {0} * (a.result = 'AGENT_REJECTED'),
        {0} * a.agent_logout, {0} * (a.result IN ('NOT_DIALED', 'INVALID_NUMBER')), {0} * (a.result = 'HANGUP'),
        {0} * (a.result = 'ABANDONED'), {0} * (a.answered IS NOT NULL AND a.result NOT IN ('ANSWERING_MACHINE', 'FAX')),
        {0} * (CASE WHEN a.result = 'SUCCESS' THEN coalesce(a.amount, 0) ELSE 0 END), 0
        FROM attempts a WHERE a.campaign_id = @campaign AND a.started >= {1} AND a.started < {2} AND a.result <> 'DIALING'
        """;

    private const string RawHandled = """
        coalesce((SELECT coalesce('=' || l.agent_id, '') FROM attempts l
                  WHERE l.record_id = cr.record_id AND +l.campaign_id = @campaign AND l.result <> 'DIALING'
                  ORDER BY l.started DESC, l.id DESC LIMIT 1), '!'), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {0}
        FROM campaign_records cr WHERE cr.campaign_id = @campaign AND cr.state = 'CLOSED' AND cr.closed_at >= {1} AND cr.closed_at < {2}
        """;

    private const string Buckets = """
        agent, calls, successful, refusal, amount_calls, skip, reject, oper_logout, not_dialed, hangup, abandoned,
        answered_by_person, amount, handled
        FROM campaign_call_tallies WHERE campaign_id = @campaign AND span = {0} AND bucket >= {1} AND bucket < {2}
        """;

    /// <summary>The abandon rate's parts: its two counters only, for the whole campaign.</summary>
    private const string RawAbandons = """
        '', 0, 0, 0, 0, 0, 0, 0, 0, 0, {0} * (a.result = 'ABANDONED'),
        {0} * (a.answered IS NOT NULL AND a.result NOT IN ('ANSWERING_MACHINE', 'FAX')), 0, 0
        FROM attempts a WHERE a.campaign_id = @campaign AND a.started >= {1} AND a.started < {2} AND a.result <> 'DIALING'
        """;

    private const string BucketAbandons = """
        '', 0, 0, 0, 0, 0, 0, 0, 0, 0, abandoned, answered_by_person, 0, 0
        FROM campaign_call_tallies WHERE campaign_id = @campaign AND span = {0} AND bucket >= {1} AND bucket < {2}
        """;

    /// <summary>The query of a cover: only its non-empty parts (fewer to prepare and run on every read).</summary>
    private static string TalliesSql(TallyCover c, bool abandonsOnly)
    {
        var (buckets, raw) = abandonsOnly ? (BucketAbandons, RawAbandons) : (Buckets, RawCalls);
        var parts = new List<string>();
        if (c.A1 > 0) parts.Add(string.Format(buckets, AllTimeMs, "0", "@A1"));
        if (c.D0 < c.D1) parts.Add(string.Format(buckets, DayMs, "@D0", "@D1"));
        if (c.H0 < c.H1) parts.Add(string.Format(buckets, HourMs, "@H0", "@H1"));
        if (c.H2 < c.H3) parts.Add(string.Format(buckets, HourMs, "@H2", "@H3"));
        if (c.R0 < c.R1) parts.Add(string.Format(raw, "@S0", "@R0", "@R1"));
        if (c.R2 < c.R3) parts.Add(string.Format(raw, "@S1", "@R2", "@R3"));
        if (!abandonsOnly && c.R0 < c.R1) parts.Add(string.Format(RawHandled, "@S0", "@R0", "@R1"));
        if (!abandonsOnly && c.R2 < c.R3) parts.Add(string.Format(RawHandled, "@S1", "@R2", "@R3"));
        if (parts.Count == 0) return "SELECT '' AS Agent WHERE 0";
        return $"""
            WITH t (agent, c, s, r, ac, sk, rj, ol, nd, h, ab, ap, am, hd) AS (SELECT {string.Join("\nUNION ALL SELECT ", parts)})
            SELECT agent AS Agent, sum(c) AS Calls, sum(s) AS Successful, sum(r) AS Refusal, sum(ac) AS AmountCalls, sum(sk) AS Skip,
                   sum(rj) AS Reject, sum(ol) AS OperLogout, sum(nd) AS NotDialed, sum(h) AS Hangup, sum(ab) AS Abandoned,
                   sum(ap) AS AnsweredByPerson, sum(am) AS Amount, sum(hd) AS Handled
            FROM t GROUP BY agent
            """;
    }

    /// <summary>A campaign's calls (started in [from, to), finished) and handled customers (closed in [from, to)) by
    /// agent key, from the tallies; with <paramref name="abandonsOnly"/>, only the abandon rate's counters, for the whole
    /// campaign (one row, the rest left at 0).</summary>
    private static async Task<List<CallTally>> TalliesAsync(ReadConnections.Lease connection, long campaign, long from, long to, long now, CancellationToken ct, bool abandonsOnly = false)
    {
        var c = TallyCover.Of(from, to, now);
        return await connection.QueryAsync<CallTally>(TalliesSql(c, abandonsOnly), new
        {
            campaign,
            c.A1,
            c.D0,
            c.D1,
            c.H0,
            c.H1,
            c.H2,
            c.H3,
            c.R0,
            c.R1,
            c.S0,
            c.R2,
            c.R3,
            c.S1,
        }, ct);
    }

    private static CallTally Sum(IEnumerable<CallTally> tallies, string? agentUid)
    {
        var sum = new CallTally();
        foreach (var t in tallies)
            if (CallTally.Matches(t.Agent, agentUid)) sum.Add(t);
        return sum;
    }
}
