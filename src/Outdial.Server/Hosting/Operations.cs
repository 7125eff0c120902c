using Outdial.Engine.Operations;
using Outdial.Engine.Operations.AgentWork;
using Outdial.Engine.Operations.Campaigns;
using Outdial.Engine.Operations.Catalog;
using Outdial.Engine.Operations.Diagnostics;
using Outdial.Engine.Operations.DoNotCall;
using Outdial.Engine.Operations.Imports;
using Outdial.Engine.Operations.Records;
using Outdial.Engine.Operations.Statistics;
using Outdial.Server.Features.Imports;

namespace Outdial.Server.Hosting;

/// <summary>The engine's operations every adapter calls, and what they need from this host.</summary>
internal static class Operations
{
    public static IServiceCollection AddOutdialOperations(this IServiceCollection services, OutdialOptions options)
    {
        services.AddSingleton<ReevaluationSignal>();
        services.AddSingleton<CampaignOperations>();
        services.AddSingleton<CampaignOverviews>();
        services.AddSingleton<ListOperations>();
        services.AddSingleton<QueueOperations>();
        services.AddSingleton<AgentOperations>();
        services.AddSingleton<RecordOperations>();
        services.AddSingleton<RecordControlOperations>();
        services.AddSingleton<CompletedOperations>();
        services.AddSingleton<StatisticsOperations>();
        services.AddSingleton<DiagnosticsOperations>();
        services.AddSingleton<AgentWorkOperations>();
        services.AddSingleton<AgentSessionOperations>();
        services.AddSingleton<DoNotCallOperations>();
        services.AddSingleton<IImportRows, ImportRows>();
        services.AddSingleton<ImportUploads>();
        services.AddSingleton<ImportRunner>();
        services.AddSingleton<ImportJobs>();
        // An import running while its request waits pauses at shutdown like a background one (and resumes at the next start).
        services.AddSingleton(sp => new ImportHosting(options.InlineImportMaxBytes, sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));
        services.AddSingleton<ImportOperations>();
        return services;
    }
}
