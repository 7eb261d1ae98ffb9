using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NuPlanBus.Persistence.Deadlines;

/// <summary>Publishes a saga's timeout event for one due instance, given the sweep's time.</summary>
public delegate Task PublishSagaTimeout(DueSaga due, DateTime now, IPublishEndpoint publish, CancellationToken cancellationToken);

/// <summary>
/// A hosted <see cref="SagaDeadlineSweeper{TState}"/> that publishes the saga's timeout event for each due instance
/// through the bus: the one deadline clock of every saga here (the broker has no delayed delivery).
/// </summary>
public sealed class SagaDeadlineWatchdog<TState>(
    ISagaDeadlineQuery<TState> query,
    IBus bus,
    PublishSagaTimeout publishTimeout,
    SagaDeadlineSweeperOptions options,
    ILogger<SagaDeadlineWatchdog<TState>> logger,
    TimeProvider? time = null) : BackgroundService
    where TState : class, ISagaVersion
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeper = new SagaDeadlineSweeper<TState>(query, (due, ct) =>
        {
            logger.LogInformation("{Saga} {CorrelationId} passed its deadline {Deadline:O}; publishing its timeout",
                typeof(TState).Name, due.CorrelationId, due.Deadline);
            return publishTimeout(due, _time.GetUtcNow().UtcDateTime, bus, ct);
        }, options, _time);
        return sweeper.RunAsync(ex => logger.LogWarning(ex, "Deadline sweep of {Saga} failed; retrying next period", typeof(TState).Name), stoppingToken);
    }
}

public static class SagaDeadlineWatchdogExtensions
{
    /// <summary>
    /// Runs a watchdog for the saga's deadlines. The due instances come from <paramref name="query"/> when given,
    /// otherwise from the <see cref="ISagaDeadlineQuery{TState}"/> a NuPlanBus saga store registers. The saga must
    /// clear or move its deadline when it handles the timeout; <paramref name="configure"/> may read other options
    /// from the service provider.
    /// </summary>
    public static IServiceCollection AddSagaDeadlineWatchdog<TState>(this IServiceCollection services,
        PublishSagaTimeout publishTimeout,
        Action<IServiceProvider, SagaDeadlineSweeperOptions>? configure = null,
        Func<IServiceProvider, ISagaDeadlineQuery<TState>>? query = null)
        where TState : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(publishTimeout);
        services.AddHostedService(provider =>
        {
            var options = new SagaDeadlineSweeperOptions();
            configure?.Invoke(provider, options);
            return new SagaDeadlineWatchdog<TState>(
                query?.Invoke(provider) ?? provider.GetRequiredService<ISagaDeadlineQuery<TState>>(),
                provider.GetRequiredService<IBus>(),
                publishTimeout,
                options,
                provider.GetRequiredService<ILogger<SagaDeadlineWatchdog<TState>>>(),
                provider.GetService<TimeProvider>());
        });
        return services;
    }
}
