using System.Buffers;
using System.Text;
using ValidationException = Outdial.Engine.Operations.ValidationException;

namespace Outdial.Server.Features.Imports;

/// <summary>
/// Checks the structure of a CSV upload on its bytes as they arrive, the way CsvHelper will read the file: rows (blank
/// lines skipped), fields per row against the header's width, and every field CsvHelper would report as bad data (a
/// quote inside an unquoted field, text after a closing quote, an unclosed quote). It finds what
/// <see cref="RowSources.CheckCsv(string)"/> finds, at memory speed instead of the parser's (about 1.8M rows/s), so
/// a large upload is checked by the time it has arrived; <c>CsvShapeTests</c> compares the two on generated files.
/// The error message is then CsvHelper's: the caller checks the spooled file again with it when this finds a problem.
/// </summary>
/// <remarks>Structural characters are ASCII and never part of a UTF-8 multi-byte sequence, so bytes suffice.</remarks>
internal sealed class CsvShape
{
    private const byte Quote = (byte)'"';
    private byte _delimiter;
    private SearchValues<byte>? _special;
    private MemoryStream? _head = new(); // bytes before the header line is whole (the delimiter comes from it)
    private bool _started, _rowStart = true, _fieldStart = true, _pendingCr, _quoted, _inQuotes, _bad;
    private byte _previous;
    private int _length; // of the current field, counted up to 2: a quoted field of one character is bad
    private int _fields;
    private long _rowBytes; // of the current row, before this chunk

    /// <summary>Fields in the header row; -1 until it has been read.</summary>
    public int Width { get; private set; } = -1;

    /// <summary>Data rows seen so far (blank lines excluded).</summary>
    public long Rows { get; private set; }

    /// <summary>The 1-based data row (0 = the header) where the first problem was found, or null.</summary>
    public long? ProblemRow { get; private set; }

    /// <summary>True when the bytes are not UTF-8 (a UTF-16 or UTF-32 byte-order mark): only the parser can check them.</summary>
    public bool NeedsParser { get; private set; }

    public bool Fine => ProblemRow is null && !NeedsParser;

    /// <summary>The upload ended inside a quoted field: a quote never closed, so the rest of the file is one field.</summary>
    public bool Unclosed { get; private set; }

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (!Fine || bytes.IsEmpty) return;
        if (_head is not null)
        {
            _head.Write(bytes);
            var head = _head.GetBuffer().AsSpan(0, (int)_head.Length);
            if (head.IndexOfAny((byte)'\r', (byte)'\n') < 0)
            {
                if (head.Length > RowSources.MaxHeaderBytes) throw RowSources.HeaderTooLong();
                return;
            }
            Start(head);
            return;
        }
        Scan(bytes);
    }

    /// <summary>The end of the upload.</summary>
    public CsvShape Complete()
    {
        if (_head is not null) Start(_head.GetBuffer().AsSpan(0, (int)_head.Length));
        if (Fine && !_rowStart)
        {
            Unclosed = _quoted && _inQuotes;
            EndField();
            EndRow();
        }
        return this;
    }

    private void Start(ReadOnlySpan<byte> head)
    {
        _head = null;
        if (_started) return;
        _started = true;
        if (head.Length > 0 && head[0] is 0xFE or 0xFF or 0x00)
        {
            NeedsParser = true;
            return;
        }
        if (head.StartsWith("\uFEFF"u8)) head = head[3..];
        var lineEnd = head.IndexOfAny((byte)'\r', (byte)'\n');
        _delimiter = (byte)RowSources.DelimiterOf(Encoding.UTF8.GetString(lineEnd < 0 ? head : head[..lineEnd]))[0];
        _special = SearchValues.Create([_delimiter, Quote, (byte)'\r', (byte)'\n']);
        Scan(head);
    }

    private void Scan(ReadOnlySpan<byte> s)
    {
        var i = 0;
        var rowStart = 0; // in this chunk
        while (i < s.Length && ProblemRow is null)
        {
            var c = s[i];
            if (_pendingCr)
            {
                _pendingCr = false;
                if (c == '\n')
                {
                    i++;
                    continue;
                }
            }
            if (_rowStart)
            {
                if (c is (byte)'\r' or (byte)'\n') // a blank line
                {
                    _pendingCr = c == '\r';
                    i++;
                    continue;
                }
                _rowStart = false;
            }
            var first = _fieldStart;
            if (first)
            {
                _fieldStart = false;
                _quoted = c == Quote;
            }
            if (_quoted)
            {
                if (_inQuotes && c != Quote)
                {
                    // Inside quotes only a quote matters: delimiters and line breaks are text.
                    var next = s[i..].IndexOf(Quote);
                    var run = next < 0 ? s.Length - i : next;
                    Take(s[i + run - 1], run);
                    i += run;
                    continue;
                }
                if (c == Quote)
                {
                    if (!_inQuotes && !first && _previous != Quote) _bad = true; // text between a closing quote and this one
                    else if (!_bad) _inQuotes = !_inQuotes;
                    Take(c, 1);
                    i++;
                    continue;
                }
            }
            else if (c == Quote)
            {
                _bad = true; // a quote inside an unquoted field
                Take(c, 1);
                i++;
                continue;
            }

            if (c == _delimiter)
            {
                EndField();
                _fieldStart = true;
                _previous = c;
                i++;
                continue;
            }
            if (c is (byte)'\r' or (byte)'\n')
            {
                // Its bytes in this chunk count too: a row ending here may pass the limit by up to a chunk.
                _rowBytes += i - rowStart;
                CheckRowLength();
                EndField();
                EndRow();
                _rowBytes = 0;
                rowStart = i + 1;
                _rowStart = _fieldStart = true;
                _pendingCr = c == '\r';
                _previous = c;
                i++;
                continue;
            }
            var special = s[(i + 1)..].IndexOfAny(_special!);
            var plain = 1 + (special < 0 ? s.Length - i - 1 : special);
            Take(s[i + plain - 1], plain);
            i += plain;
        }
        // CsvHelper holds a whole row in memory: a quote never closed, or a file without line breaks, would make one row
        // of everything that follows. No real row comes near the limit.
        _rowBytes += s.Length - rowStart;
        CheckRowLength();
    }

    private void CheckRowLength()
    {
        if (ProblemRow is null && _rowBytes > RowSources.MaxRowBytes)
            throw new ValidationException($"CSV row {(Width < 0 ? 0 : Rows + 1)} is longer than {RowSources.MaxRowBytes / (1 << 20)} MB: a quote never closed, or line breaks missing");
    }

    private void Take(byte last, int count)
    {
        _previous = last;
        _length = Math.Min(2, _length + count);
    }

    private void EndField()
    {
        // CsvHelper's check when it reads a quoted field: it must end with the quote and be more than that quote.
        if (_quoted && (_length == 1 || _previous != Quote)) _bad = true;
        if (_bad) ProblemRow = Width < 0 ? 0 : Rows + 1;
        _fields++;
        _quoted = _inQuotes = _bad = false;
        _length = 0;
    }

    private void EndRow()
    {
        if (Width < 0) Width = _fields;
        else if (ProblemRow is null)
        {
            Rows++;
            if (_fields != Width) ProblemRow = Rows;
        }
        _fields = 0;
    }
}
