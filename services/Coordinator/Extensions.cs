using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NuPlanBus.Contracts;
using NuPlanBus.Coordination;
using NuPlanBus.Coordinator.Outputs;
using NuPlanBus.Coordinator.Runs;
using NuPlanBus.Coordinator.Submissions;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Hosting.Observability;
using NuPlanBus.Hosting.Storage;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Persistence.Deadlines;
using NuPlanBus.Persistence.Sagas;
using NuPlanBus.Simulation.Components;

namespace NuPlanBus.Coordinator;

public static class Extensions
{
    public const string ServiceName = "coordinator";

    /// <summary>Everything the Coordinator needs; call <see cref="BusExtensions.AddNuPlanBus"/> after it.</summary>
    public static IServiceCollection AddCoordinator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CoordinatorOptions>()
            .Bind(configuration.GetSection(CoordinatorOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RunDeadlines>();
        services.AddSagaDeadlineWatchdog<SimulationRunState>(
            (due, now, publish, ct) => publish.Publish(new RunDeadlineReached { RunId = due.CorrelationId, At = now }, ct),
            (provider, options) =>
            {
                options.Interval = provider.GetRequiredService<IOptions<CoordinatorOptions>>().Value.WatchdogInterval;
                // Every tick while due, as the saga moves the deadline of each partition it re-publishes.
                options.RepublishAfter = TimeSpan.Zero;
            },
            provider => provider.GetRequiredService<RunDeadlines>());
        services.AddBrokerBarrierSaga(configuration);
        services.AddSimulationComponents();
        services.AddMetricCatalog();
        services.AddNuPlanBusStorage(configuration);
        services.AddNuPlanBusMetrics(ServiceName);
        services.AddSingleton<IMetricNameValidator, MetricNameValidator>();
        services.AddSingleton<SubmissionValidator>();
        services.AddSingleton<DatasetAccess>();
        services.TryAddSingleton(Maps.MapProvider.Shared);
        services.AddSingleton<MapAvailability>();
        services.AddSingleton<RunOutputWriter>();
        services.AddScoped(typeof(CompleteRunActivity<>));
        services.AddPingResponder(ServiceName);
        services.AddBusContribution(ServiceName, bus =>
        {
            bus.AddConsumer<SubmitSimulationRunConsumer>();
            bus.AddConsumer<SubmitMetricRunConsumer>();
            bus.AddSagaStateMachine<SimulationRunStateMachine, SimulationRunState, SimulationRunStateDefinition>()
                .UsePersistentRepository(configuration);
        });
        return services;
    }
}
