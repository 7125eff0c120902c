using CsCheck;
using Outdial.Server.Features.Imports;
using ValidationException = Outdial.Engine.Operations.ValidationException;

namespace Outdial.Server.Tests.Features.Imports;

/// <summary>The upload-time shape check must find exactly what CsvHelper, which reads the file for the import, finds.</summary>
public sealed class CsvShapeTests
{
    private readonly record struct Verdict(bool Empty, long Rows, long? ProblemRow);

    // Mostly structural characters, so quotes, delimiters and line breaks meet in every order; é is two UTF-8 bytes.
    private static readonly Gen<string> Text = Gen.Char["ab ,;\"\"\r\n\n\té"].Array[0, 48].Select(chars => new string(chars));

    [Fact]
    public void Agrees_with_the_parser_on_generated_files_whatever_the_chunking()
    {
        Gen.Select(Text, Gen.Bool, Gen.Int[1, 9]).Sample((text, bom, chunk) =>
        {
            var bytes = (bom ? "\uFEFF"u8.ToArray() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
            var expected = Parser(bytes);
            var shape = new CsvShape();
            for (var i = 0; i < bytes.Length; i += chunk) shape.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
            shape.Complete();
            var actual = new Verdict(shape.Width < 0 && shape.ProblemRow is null, shape.ProblemRow is null ? shape.Rows : 0, shape.ProblemRow);
            Assert.False(shape.NeedsParser);
            Assert.True(expected == actual, $"{Escape(text)} (bom {bom}, chunks of {chunk}): parser {expected}, shape {actual}");
        }, iter: 30_000);
    }

    [Fact]
    public void Agrees_with_the_parser_across_its_buffer_boundary()
    {
        // CsvHelper reads 4,096 characters at a time: structure lands on either side of a refill.
        Gen.Select(Gen.Int[4_000, 4_200], Text, Gen.Int[1, 9]).Sample((pad, text, chunk) =>
        {
            var full = "a,b\n" + new string('x', pad) + "," + text;
            var bytes = Encoding.UTF8.GetBytes(full);
            var expected = Parser(bytes);
            var shape = new CsvShape();
            for (var i = 0; i < bytes.Length; i += chunk) shape.Feed(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
            shape.Complete();
            var actual = new Verdict(shape.Width < 0 && shape.ProblemRow is null, shape.ProblemRow is null ? shape.Rows : 0, shape.ProblemRow);
            Assert.True(expected == actual, $"pad {pad} + {Escape(text)}: parser {expected}, shape {actual}");
        }, iter: 5_000);
    }

    [Theory]
    [InlineData("a,b\n1,2\n\n3,4", 2, null)]
    [InlineData("a,b\r\n1,\"x\r\ny\"\r\n", 1, null)]
    [InlineData("a,b\n1,\"x\"\"y\"\n", 1, null)]
    [InlineData("a,b\n1,x\"y\n", 0, 1L)] // a quote inside an unquoted field
    [InlineData("a,b\n1,\"x\"y\n", 0, 1L)] // text after the closing quote
    [InlineData("a,b\n1,2\n1,\"x\n", 0, 2L)] // a quote never closed
    [InlineData("a;b\n1;2;3\n", 0, 1L)] // wider than the header
    [InlineData("a,\"b\n", 0, 0L)]
    [InlineData("\uFEFF\"\",", 0, null)]
    public void Known_shapes(string text, long rows, long? problemRow)
    {
        var shape = new CsvShape();
        foreach (var b in Encoding.UTF8.GetBytes(text)) shape.Feed([b]);
        shape.Complete();
        Assert.Equal(new Verdict(false, rows, problemRow), new Verdict(shape.Width < 0 && shape.ProblemRow is null, shape.ProblemRow is null ? shape.Rows : 0, shape.ProblemRow));
        Assert.Equal(Parser(Encoding.UTF8.GetBytes(text)), new Verdict(false, rows, problemRow));
    }

    [Fact]
    public void A_row_past_the_limit_ends_the_upload_there()
    {
        var shape = new CsvShape();
        shape.Feed("a,b\n1,2\n3,\"never closed"u8);
        var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("x,y\n", 1 << 14))); // 64 KB
        long fed = 0;
        var e = Assert.Throws<ValidationException>(() =>
        {
            for (var i = 0; i < 512; i++) // up to 32 MB
            {
                shape.Feed(chunk);
                fed += chunk.Length;
            }
        });
        Assert.Contains("CSV row 2 is longer than 1 MB", e.Message, StringComparison.Ordinal);
        Assert.True(fed <= RowSources.MaxRowBytes, $"{fed} bytes fed before the error");
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(40_000, true)]
    public void A_row_ending_in_the_chunk_that_takes_it_past_the_limit_is_refused(int over, bool refused)
    {
        // A row of exactly MaxRowBytes + over bytes, fed in 64 KB chunks as the spool does: its line break is in its last chunk.
        var row = Encoding.UTF8.GetBytes("\"" + new string('y', RowSources.MaxRowBytes + over - 4) + "\",1\n");
        var file = Encoding.UTF8.GetBytes("a,b\n").Concat(row).Concat(Encoding.UTF8.GetBytes("2,3\n")).ToArray();
        var shape = new CsvShape();
        void Feed()
        {
            for (var at = 0; at < file.Length; at += 1 << 16) shape.Feed(file.AsSpan(at, Math.Min(1 << 16, file.Length - at)));
            shape.Complete();
        }
        if (refused) Assert.Contains("CSV row 1 is longer than 1 MB", Assert.Throws<ValidationException>(Feed).Message, StringComparison.Ordinal);
        else
        {
            Feed();
            Assert.Equal(2, shape.Rows);
        }
    }

    [Fact]
    public void An_unclosed_quote_is_reported_without_reading_the_rest_of_the_file_into_memory()
    {
        var path = Path.GetTempFileName();
        try
        {
            var shape = new CsvShape();
            using (var file = File.Create(path))
            {
                void Write(ReadOnlySpan<byte> bytes)
                {
                    file.Write(bytes);
                    shape.Feed(bytes);
                }
                Write("a,b\n1,2\n3,\"never closed"u8);
                var chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("x,y\n", 1 << 14)));
                for (var i = 0; i < 14; i++) Write(chunk); // 896 KB: under the row limit, so the shape lets it through
            }
            shape.Complete();
            Assert.Equal(2L, shape.ProblemRow);

            var before = GC.GetAllocatedBytesForCurrentThread();
            var e = Assert.Throws<ValidationException>(() => RowSources.CheckCsv(path, shape, truncated: false));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Contains("row 2", e.Message, StringComparison.Ordinal);
            // CsvHelper grows its buffer to hold the whole row: 896 K characters (1.8 MB and more) here.
            Assert.True(allocated < 1 << 20, $"{allocated} bytes allocated to check a 896 KB file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Utf16_files_are_left_to_the_parser()
    {
        var shape = new CsvShape();
        shape.Feed(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("a,b\n1,2\n")).ToArray());
        Assert.True(shape.Complete().NeedsParser);
    }

    /// <summary>What the import's parser makes of the bytes: CsvHelper as <see cref="RowSources"/> configures it.</summary>
    private static Verdict Parser(byte[] bytes)
    {
        string header;
        using (var peek = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false, false), true)) header = peek.ReadLine() ?? "";
        using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false, false), true);
        using var parser = RowSources.Parser(reader, RowSources.DelimiterOf(header));
        long rows = 0;
        try
        {
            if (!parser.Read()) return new Verdict(true, 0, null);
            _ = parser.Record;
            var width = parser.Count;
            while (parser.Read())
            {
                rows++;
                _ = parser.Record;
                if (parser.Count != width) return new Verdict(false, 0, rows);
            }
            return new Verdict(false, rows, null);
        }
        catch (ValidationException)
        {
            return new Verdict(false, 0, rows);
        }
    }

    private static string Escape(string text) => text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
