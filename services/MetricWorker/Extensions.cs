using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Hosting.Observability;
using NuPlanBus.Hosting.Storage;
using NuPlanBus.Metrics.Engine;

namespace NuPlanBus.MetricWorker;

public static class Extensions
{
    public const string ServiceName = "metric-worker";

    /// <summary>Everything a MetricWorker needs; call <see cref="BusExtensions.AddNuPlanBus"/> after it.</summary>
    public static IServiceCollection AddMetricWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricWorkerOptions>()
            .Bind(configuration.GetSection(MetricWorkerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetricCatalog();
        // Maps are loaded once per process and shared by every scenario the worker scores.
        services.TryAddSingleton(Maps.MapProvider.Shared);
        services.AddNuPlanBusStorage(configuration);
        services.AddNuPlanBusMetrics(ServiceName);
        services.AddPingResponder(ServiceName);
        services.AddBusContribution(ServiceName, bus =>
            bus.AddConsumer<ComputeScenarioMetricsConsumer, ComputeScenarioMetricsConsumerDefinition>());
        return services;
    }
}
