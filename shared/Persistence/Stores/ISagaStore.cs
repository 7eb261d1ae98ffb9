using MassTransit;
using NuPlanBus.Persistence.Deadlines;

namespace NuPlanBus.Persistence.Stores;

/// <summary>
/// One table of saga instances, each a JSON document with a version, and for states with items
/// (<see cref="ISagaItems"/>) a table of their item rows. Lost races surface as <see cref="ConcurrencyException"/> for
/// the message retry.
/// </summary>
public interface ISagaStore<TState> : ISagaDeadlineQuery<TState>
    where TState : class, ISagaVersion
{
    /// <summary>The provider, for probes and logs (e.g. "sqlite").</summary>
    string Provider { get; }

    string Table { get; }

    /// <summary>The characters of state and item JSON this store has written: what events cost the database.</summary>
    long StateBytesWritten { get; }

    /// <summary>Creates the table and its deadline index if missing; the other members call it on first use.</summary>
    Task EnsureCreatedAsync(CancellationToken cancellationToken = default);

    /// <summary>The stored instance with <see cref="ISagaVersion.Version"/> set from the row, or null.</summary>
    Task<TState?> LoadAsync(Guid correlationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts the instance at version 1 unless one with its id exists; returns false (and leaves the instance's
    /// version as it was) when it did.
    /// </summary>
    Task<bool> TryInsertAsync(TState instance, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the stored instance if its stored version is still <c>instance.Version</c>, and increments the
    /// instance's version; throws <see cref="ConcurrencyException"/> if another writer got there first or it was deleted.
    /// </summary>
    Task UpdateAsync(TState instance, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the instance if its stored version is still <c>instance.Version</c>; throws
    /// <see cref="ConcurrencyException"/> otherwise.
    /// </summary>
    Task DeleteAsync(TState instance, CancellationToken cancellationToken = default);
}
