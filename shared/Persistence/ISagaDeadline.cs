namespace NuPlanBus.Persistence;

/// <summary>
/// A saga state with a deadline: the repository copies it into an indexed column so a sweeper can find due instances
/// (<see cref="Deadlines.ISagaDeadlineQuery{TState}"/>) without a message scheduler. Null means "no deadline".
/// Values are compared in UTC; an unspecified kind is taken as UTC.
/// </summary>
public interface ISagaDeadline
{
    DateTime? Deadline { get; }
}
