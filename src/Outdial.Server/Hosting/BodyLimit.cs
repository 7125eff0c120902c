using Microsoft.AspNetCore.Http.Features;

namespace Outdial.Server.Hosting;

/// <summary>
/// Enforces the configured body limits on every server (Kestrel, IIS, test host): a declared length over the limit is
/// refused before reading; an undeclared (chunked) body is cut off when it passes the limit.
/// </summary>
internal static class BodyLimit
{
    public const string ImportEndpointTag = "outdial-import";

    public static IApplicationBuilder UseOutdialBodyLimit(this IApplicationBuilder app, OutdialOptions options) =>
        app.Use(async (context, next) =>
        {
            var isImport = context.GetEndpoint()?.Metadata.GetMetadata<ImportEndpointMarker>() is not null;
            var limit = isImport ? options.MaxImportBodyBytes : options.MaxRequestBodyBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = limit;
            if (context.Request.ContentLength > limit)
                throw new BadHttpRequestException($"request body of {context.Request.ContentLength} bytes is over the limit of {limit} bytes", 413);
            if (context.Request.ContentLength is null && context.Request.Body.CanRead)
                context.Request.Body = new LimitedStream(context.Request.Body, limit);
            await next(context);
        });
}

internal sealed class ImportEndpointMarker;

internal sealed class LimitedStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        _read += n;
        if (_read > limit) throw new BadHttpRequestException($"request body is over the limit of {limit} bytes", 413);
        return n;
    }
}
