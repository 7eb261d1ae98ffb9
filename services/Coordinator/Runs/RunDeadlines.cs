using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NuPlanBus.Contracts;

namespace NuPlanBus.Coordinator.Runs;

/// <summary>Where the watchdog learns which runs have a passed partition deadline.</summary>
public interface IRunDeadlineSource
{
    Task<IReadOnlyList<Guid>> DueAsync(DateTime now, CancellationToken cancellationToken);
}

/// <summary>
/// Deadlines of the runs this process has seen, kept current by the run saga. A restarted Coordinator starts
/// empty; the persistent saga store's deadline index covers runs from before the restart.
/// </summary>
public sealed class InProcessRunDeadlines : IRunDeadlineSource
{
    private readonly ConcurrentDictionary<Guid, DateTime> _deadlines = new();

    public void Update(Guid runId, DateTime? deadline)
    {
        if (deadline is { } value)
        {
            _deadlines[runId] = value;
        }
        else
        {
            _deadlines.TryRemove(runId, out _);
        }
    }

    public Task<IReadOnlyList<Guid>> DueAsync(DateTime now, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Guid>>(_deadlines.Where(d => d.Value <= now).Select(d => d.Key).ToList());
}

/// <summary>
/// The Coordinator's deadline clock (the broker has no delayed delivery here): every interval it asks the
/// deadline sources for runs with a passed deadline and publishes <see cref="RunDeadlineReached"/>. The saga
/// decides what is actually late, so a duplicate or early event is harmless.
/// </summary>
public sealed class RunDeadlineWatchdog(
    IEnumerable<IRunDeadlineSource> sources,
    IBus bus,
    TimeProvider clock,
    IOptions<CoordinatorOptions> options,
    ILogger<RunDeadlineWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WatchdogInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var due = new HashSet<Guid>();
                foreach (var source in sources)
                {
                    due.UnionWith(await source.DueAsync(now, stoppingToken));
                }
                foreach (var runId in due)
                {
                    logger.LogInformation("Run {RunId} has a partition past its deadline", runId);
                    await bus.Publish(new RunDeadlineReached { RunId = runId, At = now }, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A broker or store hiccup must not stop the clock; the next tick tries again.
                logger.LogWarning(ex, "Deadline check failed");
            }
        }
    }
}

/// <summary>Deadlines from the saga store's index: covers runs started before this Coordinator (re)started.</summary>
public sealed class SagaStoreRunDeadlines(IServiceProvider services) : IRunDeadlineSource
{
    public async Task<IReadOnlyList<Guid>> DueAsync(DateTime now, CancellationToken cancellationToken)
    {
        var query = (NuPlanBus.Persistence.Deadlines.ISagaDeadlineQuery<SimulationRunState>?)services.GetService(
            typeof(NuPlanBus.Persistence.Deadlines.ISagaDeadlineQuery<SimulationRunState>));
        if (query is null)
        {
            return [];
        }
        var due = await query.GetDueAsync(now, 100, cancellationToken);
        return due.Select(d => d.CorrelationId).ToList();
    }
}
