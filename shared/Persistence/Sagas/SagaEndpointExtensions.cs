using System.Data.Common;
using MassTransit;
using Microsoft.Data.Sqlite;

namespace NuPlanBus.Persistence.Sagas;

/// <summary>
/// How a persisted saga's endpoint retries lost races: short, jittered, exponentially growing waits (about 30 ms,
/// 50 ms, 90 ms, ... capped at 1 s; some 14 s in all), because a loser only has to wait for one other save.
/// </summary>
public sealed class SagaRetryOptions
{
    public int RetryLimit { get; set; } = 20;

    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan IntervalDelta { get; set; } = TimeSpan.FromMilliseconds(20);
}

public static class SagaEndpointExtensions
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    /// <summary>
    /// What a persisted saga endpoint needs to be correct under concurrency and redelivery:
    /// exponential retries (immediate ones hit the same conflict again) for version conflicts, lost inserts and
    /// transient database errors, around an in-memory outbox so an attempt that loses its save publishes nothing.
    /// Per-instance ordering inside the process is done by the repository
    /// (<see cref="PersistentSagaOptions{TState}.SerializePerInstance"/>): MassTransit's partitioners see the message before
    /// it is correlated, so they cannot key on the saga's id without per-message configuration.
    /// Call it from <c>ConfigureSaga</c> (or derive the definition from <see cref="PersistentSagaDefinition{TState}"/>).
    /// </summary>
    /// <remarks>
    /// The in-memory outbox releases messages after the save; a crash between the two loses them, so a saga's final
    /// events must be re-derivable from its persisted state.
    /// </remarks>
    public static void UsePersistentSagaDefaults(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context,
        SagaRetryOptions? retry = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(context);
        retry ??= new SagaRetryOptions();
        endpoint.UseMessageRetry(r =>
        {
            r.Exponential(retry.RetryLimit, retry.MinInterval, retry.MaxInterval, retry.IntervalDelta);
            r.Handle<ConcurrencyException>();
            // Npgsql marks transient errors itself; SQLite reports a writer that outlasted the busy timeout as BUSY/LOCKED.
            r.Handle<DbException>(e => e.IsTransient || e is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked });
        });
        endpoint.UseInMemoryOutbox(context);
    }
}

/// <summary>
/// A saga definition that applies <see cref="SagaEndpointExtensions.UsePersistentSagaDefaults"/>; derive the saga's
/// definition from it (and call the base when overriding <see cref="ConfigureSaga"/>).
/// </summary>
public abstract class PersistentSagaDefinition<TState> : SagaDefinition<TState>
    where TState : class, ISaga
{
    protected SagaRetryOptions Retry { get; } = new();

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<TState> sagaConfigurator,
        IRegistrationContext context)
    {
        endpointConfigurator.UsePersistentSagaDefaults(context, Retry);
    }
}
