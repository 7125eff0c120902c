using System.Runtime.CompilerServices;
using System.Text.Json;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations;
using Outdial.Server.Hosting;

namespace Outdial.Server.Dialects.Sinch;

/// <summary>
/// A list body of any size (POST …/customers/list, under the import limit): spooled to a file first, so no transaction
/// waits on the client's upload, then read one item at a time. JSON streams in flat memory; XML, read whole, stays under
/// the ordinary request limit.
/// </summary>
internal sealed class SinchListBody : IAsyncDisposable
{
    private readonly string _path;
    private readonly SinchWire.Format _format;

    private SinchListBody(string path, SinchWire.Format format)
    {
        _path = path;
        _format = format;
    }

    public static async Task<SinchListBody> SpoolAsync(HttpRequest request, OutdialOptions options, CancellationToken ct)
    {
        var format = SinchWire.BodyFormat(request);
        Directory.CreateDirectory(options.SpoolDir);
        var path = Path.Combine(options.SpoolDir, Id32.New() + ".obi-list");
        var body = new SinchListBody(path, format);
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                await request.Body.CopyToAsync(file, 1 << 16, ct);
            var length = new FileInfo(path).Length;
            if (length == 0) throw new ValidationException("a body is required: the body was empty");
            if (format == SinchWire.Format.Xml && length > options.MaxRequestBodyBytes)
                throw new BadHttpRequestException($"an XML list of {length} bytes is over the limit of {options.MaxRequestBodyBytes} bytes for XML: send a larger list as JSON", 413);
            return body;
        }
        catch
        {
            await body.DisposeAsync();
            throw;
        }
    }

    /// <summary>The items in order; a malformed body is a <see cref="ValidationException"/> when the reading reaches it.</summary>
    public async IAsyncEnumerable<T?> ReadAsync<T>(string root, string item, [EnumeratorCancellation] CancellationToken ct) where T : class
    {
        if (_format == SinchWire.Format.Xml)
        {
            var xml = await File.ReadAllBytesAsync(_path, ct);
            foreach (var value in SinchWire.Parse<List<T?>>(xml, _format, root, item)) yield return value;
            yield break;
        }
        await using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (file.ReadByte() is var first && first is ' ' or '\t' or '\r' or '\n' or 0xEF) { } // whitespace or a BOM: the parser skips them
        else if (first != '[') throw new ValidationException("the body must be a JSON array of customers");
        file.Position = 0;
        await using var items = JsonSerializer.DeserializeAsyncEnumerable<T>(file, SinchWire.Json, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            try
            {
                if (!await items.MoveNextAsync()) yield break;
            }
            catch (JsonException e)
            {
                throw new ValidationException(Hosting.ProblemExceptionHandler.Describe(e));
            }
            yield return items.Current;
        }
    }

    public ValueTask DisposeAsync()
    {
        File.Delete(_path);
        return ValueTask.CompletedTask;
    }
}
