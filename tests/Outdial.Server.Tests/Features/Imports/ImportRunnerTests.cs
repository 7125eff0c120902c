using Microsoft.AspNetCore.Http.Json;
using Outdial.Engine.Operations.Imports;
using Outdial.Engine.Storage;
using Outdial.Server.Features.Imports;

namespace Outdial.Server.Tests.Features.Imports;

public sealed class ImportRunnerTests : IDisposable
{
    private readonly OutdialFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    /// <summary>More rows than the hand-over channel holds, so the reading thread would block on it if nobody drained it.</summary>
    [Fact]
    public async Task A_writer_that_fails_releases_the_reading_thread_instead_of_hanging()
    {
        _ = _factory.Server;
        var store = _factory.Store;
        var tenant = await store.EnsureTenantAsync("default", CancellationToken.None);
        var csv = Path.Combine(_factory.DataDir, "rows.csv");
        var text = new StringBuilder("externalId,phone\n");
        for (var i = 0; i < 20_000; i++) text.Append("R").Append(i).Append(",+447400").Append((100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        await File.WriteAllTextAsync(csv, text.ToString());
        // A job whose calling list does not exist (deleted before the job ran): the writer cannot start.
        var job = new ImportJob
        {
            Id = Id32.New(),
            TenantId = tenant,
            Kind = "list",
            ListId = Id32.New(),
            Format = "csv",
            Options = "{}",
            SpoolPath = csv,
            Created = DateTimeOffset.UtcNow,
        };
        var runner = new ImportRunner(store, new ImportRows(Microsoft.Extensions.Options.Options.Create(new JsonOptions())));

        var run = runner.RunAsync(job, new ImportSettings(), "GB", new LiveProgress(), collectResults: false, CancellationToken.None);
        // A safety net for the assertion, not a wait: the failure comes at once unless the reading thread hangs.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("vanished", error.Message, StringComparison.Ordinal);
    }
}
