using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Persistence.Deadlines;

namespace NuPlanBus.Coordinator.Runs;

/// <summary>
/// Deadlines of the runs this process has seen, kept current by the run saga, joined with the persistent saga
/// store's deadline index when there is one (it covers runs from before a restart; a restarted Coordinator's own
/// table starts empty). The saga decides what is actually late, so a run reported by both is harmless.
/// </summary>
public sealed class RunDeadlines(IServiceProvider services) : ISagaDeadlineQuery<SimulationRunState>
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

    public async Task<IReadOnlyList<DueSaga>> GetDueAsync(DateTime now, int limit, CancellationToken cancellationToken = default)
    {
        var due = _deadlines.Where(d => d.Value <= now).ToDictionary(d => d.Key, d => d.Value);
        // The store registers itself as the saga's deadline query; this class is only the watchdog's.
        if (services.GetService<ISagaDeadlineQuery<SimulationRunState>>() is { } store)
        {
            foreach (var stored in await store.GetDueAsync(now, limit, cancellationToken))
            {
                due.TryAdd(stored.CorrelationId, stored.Deadline);
            }
        }
        return due.OrderBy(d => d.Value).Take(limit).Select(d => new DueSaga(d.Key, d.Value)).ToList();
    }
}
