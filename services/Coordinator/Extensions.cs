using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NuPlanBus.Coordination;
using NuPlanBus.Coordinator.Outputs;
using NuPlanBus.Coordinator.Runs;
using NuPlanBus.Coordinator.Submissions;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Hosting.Observability;
using NuPlanBus.Hosting.Storage;
using NuPlanBus.Metrics.Engine;
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
        services.AddSingleton<InProcessRunDeadlines>();
        services.AddSingleton<IRunDeadlineSource>(sp => sp.GetRequiredService<InProcessRunDeadlines>());
        services.AddSingleton<IRunDeadlineSource, SagaStoreRunDeadlines>();
        services.AddHostedService<RunDeadlineWatchdog>();
        services.AddBrokerBarrierSaga(configuration);
        services.AddSimulationComponents();
        services.AddMetricCatalog();
        services.AddNuPlanBusStorage(configuration);
        services.AddNuPlanBusMetrics(ServiceName);
        services.AddSingleton<IMetricNameValidator, MetricNameValidator>();
        services.AddSingleton<SubmissionValidator>();
        services.AddSingleton<DatasetAccess>();
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
