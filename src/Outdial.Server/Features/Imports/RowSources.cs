using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Outdial.Engine.Operations.Imports;
using Outdial.Engine.Records;
using Outdial.Server.Features.Records;
using ValidationException = Outdial.Engine.Operations.ValidationException;

namespace Outdial.Server.Features.Imports;

/// <summary>Streams rows from a spooled import file; never holds the file in memory.</summary>
internal static class RowSources
{
    public static IEnumerable<SourceRow> Read(string path, string format, IReadOnlyDictionary<string, string>? mapping, JsonSerializerOptions json) =>
        format == "csv" ? ReadCsv(path, mapping) : ReadJson(path, json);

    private static StreamReader Open(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan),
            new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true, 1 << 16);

    internal static CsvParser Parser(TextReader reader, string delimiter) =>
        new(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            BadDataFound = args => throw new ValidationException(
                $"CSV is malformed at row {args.Context.Parser!.Row - 1}: a quote inside a field that is not quoted, or text after a closing quote (raw: {Truncate(args.RawRecord)})"),
            IgnoreBlankLines = true,
            CacheFields = false, // true keeps every distinct field string for the whole file: memory grew with the row count
        });

    private static string Truncate(string s) => s.Length > 80 ? s[..80] + "..." : s;

    /// <summary>The longest header row read to find the delimiter: a file without a line break is not read whole into memory.</summary>
    public const int MaxHeaderBytes = 1 << 20;

    /// <summary>The longest data row an upload may have (the parser holds a whole row in memory).</summary>
    public const int MaxRowBytes = 1 << 20;

    public static ValidationException HeaderTooLong() =>
        new($"the CSV header row is longer than {MaxHeaderBytes / (1 << 20)} MB: no line break after the column names");

    /// <summary>The delimiter of a file: the most frequent of ',', ';' and tab outside quotes in its header line.</summary>
    public static string DetectDelimiter(string path)
    {
        using var reader = Open(path);
        var buffer = System.Buffers.ArrayPool<char>.Shared.Rent(MaxHeaderBytes);
        try
        {
            int read = 0, end = -1, n;
            while (end < 0 && read < MaxHeaderBytes && (n = reader.Read(buffer, read, Math.Min(1 << 16, MaxHeaderBytes - read))) > 0)
            {
                end = buffer.AsSpan(read, n).IndexOfAny('\r', '\n') is var at and >= 0 ? read + at : -1;
                read += n;
            }
            if (end < 0 && read >= MaxHeaderBytes) throw HeaderTooLong();
            return DelimiterOf(new string(buffer, 0, end < 0 ? read : end));
        }
        finally
        {
            System.Buffers.ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>The delimiter of a header line: the most frequent of ',', ';' and tab outside quotes.</summary>
    public static string DelimiterOf(string line)
    {
        int comma = 0, semicolon = 0, tab = 0;
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (!quoted) { if (ch == ',') comma++; else if (ch == ';') semicolon++; else if (ch == '\t') tab++; }
        }
        return semicolon > comma && semicolon >= tab ? ";" : tab > comma ? "\t" : ",";
    }

    /// <summary>
    /// Checks the whole file's structure with the parser the import reads it with, before anything is written: every row
    /// parses, has the header's width and holds no field the parser would report as bad data.
    /// </summary>
    /// <returns>The number of data rows.</returns>
    public static long CheckCsv(string path)
    {
        using var reader = Open(path);
        using var parser = Parser(reader, DetectDelimiter(path));
        var width = ReadHeader(parser);
        long rows = 0;
        while (parser.Read())
        {
            rows++;
            _ = parser.Record; // reading the fields is what finds bad quotes (BadDataFound)
            if (parser.Count != width)
                throw new ValidationException(
                    $"CSV row {rows} has {parser.Count} fields but the header has {width}; check for an unclosed quote or a stray delimiter near line {parser.RawRow}");
        }
        return rows;
    }

    /// <summary>
    /// The check of an upload whose bytes <paramref name="shape"/> has seen as they arrived: a file it found fine needs only
    /// its header read here; otherwise the parser checks the file again, for its error message.
    /// </summary>
    public static long CheckCsv(string path, CsvShape shape, bool truncated)
    {
        if (shape.Fine && shape.Width > 0 && !truncated)
        {
            using var reader = Open(path);
            using var parser = Parser(reader, DetectDelimiter(path));
            if (ReadHeader(parser) != shape.Width) throw new InvalidOperationException("the CSV shape check and the parser disagree on the header");
            return shape.Rows;
        }
        // A quote never closed makes the rest of the file one field, and CsvHelper holds a whole row in memory (its buffer
        // doubles until the row fits): up to the upload limit (4 GB). The shape has found it; the parser is not run.
        if (!truncated && shape.Unclosed && shape.ProblemRow is { } row)
            throw new ValidationException($"CSV is malformed at row {row}: a quote opened there is never closed (the rest of the file would be one field)");
        var rows = CheckCsv(path);
        if (truncated || shape.ProblemRow is not null && !shape.NeedsParser)
            throw new ValidationException($"CSV is malformed at row {shape.ProblemRow}: an unclosed quote, a quote inside a field that is not quoted, text after a closing quote, or a row wider or narrower than the header");
        return rows;
    }

    private static int ReadHeader(CsvParser parser)
    {
        if (!parser.Read()) throw new ValidationException("the CSV file is empty: it needs a header row");
        var headers = parser.Record!;
        if (headers.Any(string.IsNullOrWhiteSpace)) throw new ValidationException("the CSV header has an empty column name");
        return parser.Count;
    }

    private static IEnumerable<SourceRow> ReadCsv(string path, IReadOnlyDictionary<string, string>? explicitMapping)
    {
        using var reader = Open(path);
        using var parser = Parser(reader, DetectDelimiter(path));
        if (!parser.Read()) yield break;
        var headers = parser.Record!.Select(h => h.Trim()).ToArray();
        var mapping = ColumnMapping.Create(headers, explicitMapping);
        long number = 0;
        while (parser.Read())
        {
            number++;
            var fields = mapping.Read(parser.Record!, headers, out var error);
            yield return new SourceRow(number, error is null ? fields : null, error);
        }
    }

    private static IEnumerable<SourceRow> ReadJson(string path, JsonSerializerOptions options)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        long number = 0;
        // The rows are split with duplicate names allowed: a row that repeats a field fails alone, below, when it is read
        // as a record, instead of ending the whole import after the rows before it are written.
        var split = new JsonSerializerOptions(options) { AllowDuplicateProperties = true };
        foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, split).ToBlockingEnumerable())
        {
            number++;
            RecordInput? input;
            string? error = null;
            try
            {
                input = element.ValueKind == JsonValueKind.Object ? element.Deserialize<RecordInput>(options) : null;
                if (input is null) error = "each row must be a JSON object";
            }
            catch (JsonException e)
            {
                input = null;
                error = Hosting.ProblemExceptionHandler.Describe(e);
            }
            yield return new SourceRow(number, input?.ToFields(), error);
        }
    }

    /// <summary>Checks that a JSON import is one well-formed array.</summary>
    public static long CheckJson(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return CheckJson(stream);
    }

    private static long CheckJson(Stream stream)
    {
        var buffer = new byte[1 << 16];
        var state = new JsonReaderState(new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        int leftover = 0, read;
        long items = 0;
        var first = true;
        try
        {
            while (true)
            {
                read = stream.Read(buffer, leftover, buffer.Length - leftover);
                var final = read == 0;
                // The final pass runs also when every byte was consumed: only it finds an array or object left open
                // ("[{...}" ending on a token boundary), which the import would otherwise fail on halfway.
                if (final && first && leftover == 0) break; // no token at all: reported as empty below
                var reader = new Utf8JsonReader(buffer.AsSpan(0, leftover + read), final, state);
                while (reader.Read())
                {
                    if (first)
                    {
                        if (reader.TokenType != JsonTokenType.StartArray) throw new ValidationException("a JSON import must be an array of records");
                        first = false;
                    }
                    else if (reader.CurrentDepth == 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.String or JsonTokenType.Number
                             or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null or JsonTokenType.StartArray)
                    {
                        items++;
                    }
                }
                state = reader.CurrentState;
                var consumed = (int)reader.BytesConsumed;
                leftover = leftover + read - consumed;
                if (leftover == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                Buffer.BlockCopy(buffer, consumed, buffer, 0, leftover);
                if (final) break;
            }
        }
        catch (JsonException e)
        {
            throw new ValidationException($"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine}: {e.Message.Split(" LineNumber")[0]}");
        }
        if (first) throw new ValidationException("the JSON body is empty: send an array of records");
        return items;
    }
}
