using System.Text.Json.Serialization;
using Outdial.Data;
using Outdial.Engine.Storage;
using Outdial.Server.Auth;
using Outdial.Server.Dialects.BrightPattern;
using Outdial.Server.Dialects.Conpeek;
using Outdial.Server.Dialects.Genesys;
using Outdial.Server.Dialects.Jtel;
using Outdial.Server.Dialects.Sinch;
using Outdial.Server.Features.Agents;
using Outdial.Server.Features.Campaigns;
using Outdial.Server.Features.Diagnostics;
using Outdial.Server.Features.Dialing;
using Outdial.Server.Features.Dnc;
using Outdial.Server.Features.Events;
using Outdial.Server.Features.Health;
using Outdial.Server.Features.Imports;
using Outdial.Server.Features.Lists;
using Outdial.Server.Features.Queues;
using Outdial.Server.Features.Records;
using Outdial.Server.Features.Statistics;
using Scalar.AspNetCore;

namespace Outdial.Server.Hosting;

internal static class OutdialApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection("Outdial").Get<OutdialOptions>() ?? new OutdialOptions();
        // Framework request logs carry full URLs (query strings may hold phone numbers): enforced here, not only in appsettings.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => StoreFactory.Open(options.Store, options.DataDir, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddSingleton<Engine.Events.EventBus>();
        // Telephony: the simulated network in real time until a SIP adapter is configured (roadmap).
        builder.Services.AddSingleton<Engine.Telephony.ITelephony>(sp => new Engine.Simulation.SimulatedNetwork(
            sp.GetRequiredService<TimeProvider>(), new Engine.Simulation.SimulatedNetworkOptions(), seed: Environment.TickCount));
        builder.Services.AddSingleton<DemoCampaigns>();
        builder.Services.AddSingleton<Engine.Dialing.RunningCampaigns>();
        builder.Services.AddSingleton<DialerService>();
        builder.Services.AddHostedService<StoreStartup>();
        // Pending re-evaluations of waiting records (after campaign and DNC changes), resumed at start: after the migration.
        builder.Services.AddSingleton<ReevaluationWorker>();
        if (ReevaluationWorker.IsEnabled(builder.Configuration)) builder.Services.AddHostedService(sp => sp.GetRequiredService<ReevaluationWorker>());
        builder.Services.AddOutdialOperations(options);
        builder.Services.AddHostedService<ImportService>();
        if (builder.Configuration.GetValue<bool>("Outdial:Demo")) builder.Services.AddHostedService<DemoSeeder>();
        if (builder.Configuration.GetValue("Outdial:Dialer", true)) builder.Services.AddHostedService(sp => sp.GetRequiredService<DialerService>());

        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // Enums are their names, as the OpenAPI document lists them: a number would bind any integer, defined or not
            // ({"status": 99}, {"rules": {"99": ...}}).
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // {"name":"a","name":"b"} is ambiguous (parsers differ on which wins): refused like an unknown field.
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddSinchDialect();
        builder.Services.AddBrightPatternDialect();
        builder.Services.AddJtelDialect();
        builder.Services.AddGenesysDialect();
        builder.Services.AddConpeekDialect();
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Statuses the framework answers by itself come without a detail; say what to do instead.
            var request = context.HttpContext.Request;
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                415 => $"unsupported Content-Type '{request.ContentType}': send the body as application/json",
                405 => $"{request.Method} is not allowed on {request.Path}",
                404 => $"no resource at {request.Path}",
                401 => (string.IsNullOrWhiteSpace(request.Headers.Authorization) ? "no API key" : "the API key is malformed or unknown") +
                    ": send a key as 'Authorization: Bearer KEY', as the raw Authorization value, or as the password of HTTP Basic",
                403 => $"a key with the role '{context.HttpContext.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value}' may not {request.Method} {request.Path}",
                _ => null,
            };
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorization(o => o.AddOutdialPolicies());
        builder.Services.AddOutdialOpenApi();
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var app = builder.Build();
        app.UseOutdialRequestLog();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseOutdialBodyLimit(options);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseOutdialRequestCharset();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Outdial API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealthApi();

        var api = app.MapGroup("/api/v1").RequireAuthorization(Policies.Read);
        api.MapQueuesApi();
        api.MapAgentsApi();
        api.MapAgentSessionsApi();
        api.MapAgentWorkApi();
        api.MapListsApi();
        api.MapCampaignsApi();
        api.MapRecordsApi();
        api.MapCompletedApi();
        api.MapImportsApi();
        api.MapDncApi();
        api.MapEventsApi();
        api.MapStatisticsApi();
        api.MapDiagnosticsApi();
        app.MapSinchApi();
        app.MapBrightPatternApi();
        app.MapJtelApi();
        app.MapGenesysApi();
        app.MapConpeekApi();
        return app;
    }
}

/// <summary>Migrates the store and applies the bootstrap key before the server takes requests.</summary>
internal sealed class StoreStartup(IStore store, IConfiguration configuration, ILogger<StoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        var bootstrap = configuration["OUTDIAL_BOOTSTRAP_KEY"];
        if (!string.IsNullOrWhiteSpace(bootstrap) && !await store.AnyApiKeyAsync(cancellationToken))
        {
            var tenant = await store.EnsureTenantAsync("default", cancellationToken);
            await store.AddApiKeyAsync(tenant, Engine.Domain.Role.admin, ApiKeys.Hash(bootstrap.Trim()), ApiKeys.Prefix(bootstrap.Trim()), cancellationToken);
            logger.LogInformation("Bootstrap admin key installed for tenant 'default'");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
