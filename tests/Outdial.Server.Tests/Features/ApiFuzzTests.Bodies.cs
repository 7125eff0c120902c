using System.Collections.Immutable;
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
