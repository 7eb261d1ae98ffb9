using MassTransit;

namespace NuPlanBus.Persistence.Deadlines;

/// <summary>An instance whose deadline has passed.</summary>
public readonly record struct DueSaga(Guid CorrelationId, DateTime Deadline);

/// <summary>
/// Finds saga instances whose <see cref="ISagaDeadline.Deadline"/> is at or before a given time, earliest first, from
/// the indexed deadline column. A watchdog publishes a timeout event for each; the saga's own transition (e.g. to a
/// TimedOut state that clears the deadline and ignores later timeouts) makes duplicate publications harmless.
/// </summary>
public interface ISagaDeadlineQuery<TState>
    where TState : class, ISagaVersion
{
    Task<IReadOnlyList<DueSaga>> GetDueAsync(DateTime now, int limit, CancellationToken cancellationToken = default);
}
