using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Outdial.Engine.Domain;
using Outdial.Engine.Operations.Imports;
using Outdial.Server.Hosting;

namespace Outdial.Server.Features.Imports;

/// <summary>The wire side of uploads: the body's format and its spooled, structure-checked file.</summary>
internal sealed class ImportUploads(OutdialOptions options)
{
    /// <summary>csv or json from the request's Content-Type; anything else a 415.</summary>
    /// <param name="csvAliases">Also take application/csv and text/plain as CSV (record imports do).</param>
    public static string Format(HttpRequest request, bool csvAliases)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        return type switch
        {
            "text/csv" => "csv",
            "application/csv" or "text/plain" when csvAliases => "csv",
            "application/json" => "json",
            _ => throw new BadHttpRequestException($"unsupported Content-Type '{request.ContentType}': send text/csv or application/json", 415),
        };
    }

    /// <summary>
    /// Copies the body to a file under the data directory while hashing it (after <paramref name="salt"/>) and, for CSV,
    /// checking its structure as it arrives (<see cref="CsvShape"/>: a structure error ends the upload at once); then checks
    /// a JSON file whole. Memory stays flat whatever the size. A file that fails its check is deleted and the error (400) thrown.
    /// </summary>
    public async Task<ImportUpload> SpoolAsync(Stream body, string salt, bool csv, CancellationToken ct)
    {
        var shape = csv ? new CsvShape() : null;
        Directory.CreateDirectory(options.SpoolDir);
        var path = Path.Combine(options.SpoolDir, Id32.New() + ".upload");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(salt));
        long bytes = 0;
        var buffer = new byte[1 << 16];
        var truncated = false;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                    bytes += read;
                    shape?.Feed(buffer.AsSpan(0, read));
                    if (shape?.ProblemRow is not null)
                    {
                        truncated = true;
                        break;
                    }
                }
            }
            shape?.Complete();
            var rows = shape is null ? RowSources.CheckJson(path) : RowSources.CheckCsv(path, shape, truncated);
            return new ImportUpload(path, bytes, Convert.ToHexString(hash.GetHashAndReset()), rows);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}

/// <summary>The rows of spooled CSV and JSON files, for the engine's imports.</summary>
internal sealed class ImportRows(IOptions<JsonOptions> json) : IImportRows
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;

    public IEnumerable<SourceRow> Read(string path, string format, IReadOnlyDictionary<string, string>? mapping) =>
        RowSources.Read(path, format, mapping, _json);
}
