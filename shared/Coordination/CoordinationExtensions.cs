using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NuPlanBus.Common.Distributed;
using NuPlanBus.Contracts;
using NuPlanBus.Coordination.Barriers;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Hosting.Observability;
using NuPlanBus.Persistence.Deadlines;
using NuPlanBus.Persistence.Sagas;

namespace NuPlanBus.Coordination;

public static class CoordinationExtensions
{
    /// <summary>
    /// Hosts the barrier saga on this process's bus (persisted in the store the <c>SagaStore</c> section names) and a
    /// watchdog that times out generations past their deadline. Host it in one or more processes; the saga's version
    /// check makes several hosts safe.
    /// </summary>
    public static IServiceCollection AddBrokerBarrierSaga(this IServiceCollection services, IConfiguration configuration,
        Action<SagaDeadlineSweeperOptions>? watchdog = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddBusContribution("barrier", bus => bus
            .AddSagaStateMachine<BarrierStateMachine, BarrierState, BarrierStateDefinition>()
            .UsePersistentRepository(configuration));
        services.AddSagaDeadlineWatchdog<BarrierState>(
            (due, now, publish, ct) => publish.Publish(new BarrierDeadlineReached { BarrierCorrelationId = due.CorrelationId, At = now }, ct),
            (_, options) =>
            {
                // A barrier timeout is short-lived: report a still-due generation again soon if its endpoint was busy.
                options.RepublishAfter = TimeSpan.FromSeconds(10);
                watchdog?.Invoke(options);
            });
        return services;
    }

    /// <summary>Registers <see cref="BrokerBackedBarrier"/> as the process's <see cref="IBarrier"/> (needs a bus).</summary>
    public static IServiceCollection AddBrokerBackedBarrier(this IServiceCollection services, BrokerBackedBarrierOptions? options = null)
    {
        services.TryAddSingleton<IBarrier>(provider => new BrokerBackedBarrier(
            provider.GetRequiredService<IBus>(), options, provider.GetService<NuPlanBusMetrics>()));
        return services;
    }
}
