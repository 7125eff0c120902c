using Outdial.Engine.Operations.AgentWork;
using Outdial.Engine.Operations.DoNotCall;
using Outdial.Engine.Operations.Imports;
using Outdial.Server.Features.Imports;

namespace Outdial.Server.Hosting;

/// <summary>The engine's operations every adapter calls, and what they need from this host.</summary>
internal static class Operations
{
    public static IServiceCollection AddOutdialOperations(this IServiceCollection services, OutdialOptions options)
    {
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
