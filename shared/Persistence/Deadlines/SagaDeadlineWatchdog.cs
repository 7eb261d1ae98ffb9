using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NuPlanBus.Persistence.Deadlines;

/// <summary>
/// A hosted <see cref="SagaDeadlineSweeper{TState}"/> that publishes the saga's timeout event for each due instance
/// through the bus.
/// </summary>
public sealed class SagaDeadlineWatchdog<TState>(
    ISagaDeadlineQuery<TState> query,
    IBus bus,
    Func<DueSaga, IPublishEndpoint, CancellationToken, Task> publishTimeout,
    SagaDeadlineSweeperOptions options,
    ILogger<SagaDeadlineWatchdog<TState>> logger,
    TimeProvider? time = null) : BackgroundService
    where TState : class, ISagaVersion
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeper = new SagaDeadlineSweeper<TState>(query, (due, ct) =>
        {
            logger.LogInformation("{Saga} {CorrelationId} passed its deadline {Deadline:O}; publishing its timeout",
                typeof(TState).Name, due.CorrelationId, due.Deadline);
            return publishTimeout(due, bus, ct);
        }, options, time);
        return sweeper.RunAsync(ex => logger.LogWarning(ex, "Deadline sweep of {Saga} failed; retrying next period", typeof(TState).Name), stoppingToken);
    }
}

public static class SagaDeadlineWatchdogExtensions
{
    /// <summary>
    /// Runs a watchdog for the saga's deadlines (needs the saga registered on a NuPlanBus store, which provides
    /// <see cref="ISagaDeadlineQuery{TState}"/>). The saga must clear or move its deadline when it handles the timeout.
    /// </summary>
    public static IServiceCollection AddSagaDeadlineWatchdog<TState>(this IServiceCollection services,
        Func<DueSaga, IPublishEndpoint, CancellationToken, Task> publishTimeout, Action<SagaDeadlineSweeperOptions>? configure = null)
        where TState : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(publishTimeout);
        var options = new SagaDeadlineSweeperOptions();
        configure?.Invoke(options);
        services.AddHostedService(provider => new SagaDeadlineWatchdog<TState>(
            provider.GetRequiredService<ISagaDeadlineQuery<TState>>(),
            provider.GetRequiredService<IBus>(),
            publishTimeout,
            options,
            provider.GetRequiredService<ILogger<SagaDeadlineWatchdog<TState>>>(),
            provider.GetService<TimeProvider>()));
        return services;
    }
}
