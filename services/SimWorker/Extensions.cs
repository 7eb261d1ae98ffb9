using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Hosting.Observability;
using NuPlanBus.Hosting.Storage;
using NuPlanBus.Simulation.Components;

namespace NuPlanBus.SimWorker;

public static class Extensions
{
    public const string ServiceName = "sim-worker";

    /// <summary>Everything a SimWorker needs; call <see cref="BusExtensions.AddNuPlanBus"/> after it.</summary>
    public static IServiceCollection AddSimWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimWorkerOptions>()
            .Bind(configuration.GetSection(SimWorkerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSimulationComponents();
        services.AddNuPlanBusStorage(configuration);
        services.AddNuPlanBusMetrics(ServiceName);
        // Maps are loaded once per process and shared by every scenario and partition the worker simulates.
        services.TryAddSingleton(Maps.MapProvider.Shared);
        services.AddSingleton<ScenarioSimulator>();
        services.AddPingResponder(ServiceName);
        services.AddBusContribution(ServiceName, bus =>
            bus.AddConsumer<SimulateScenarioPartitionConsumer, SimulateScenarioPartitionConsumerDefinition>());
        return services;
    }
}
