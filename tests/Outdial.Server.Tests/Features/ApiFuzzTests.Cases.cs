using System.Globalization;
using System.Text.Json.Nodes;
using Outdial.Engine.Records;
using Outdial.Server.Auth;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Hosting;

namespace Outdial.Server.Tests.Features;

public sealed partial class ApiFuzzTests
{
    private sealed partial class Fuzzer
    {
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
    }
}
