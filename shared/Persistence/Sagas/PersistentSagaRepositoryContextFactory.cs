using MassTransit;
using MassTransit.Saga;
using NuPlanBus.Persistence.Stores;

namespace NuPlanBus.Persistence.Sagas;

/// <summary>
/// Plugs an <see cref="ISagaStore{TState}"/> into MassTransit. Only correlation by id is supported: an event
/// correlated by an expression (<c>CorrelateBy(...)</c>) would need a query over the JSON column, and instead of doing
/// that slowly or wrongly the message faults with a <see cref="NotSupportedException"/> that says so.
/// </summary>
public sealed class PersistentSagaRepositoryContextFactory<TState> :
    ISagaRepositoryContextFactory<TState>,
    ILoadSagaRepositoryContextFactory<TState>
    where TState : class, ISagaVersion
{
    public const string QueryNotSupportedMessage =
        "The NuPlanBus saga store correlates by id only; query-based correlation (CorrelateBy) is not supported for ";

    private readonly ISagaStore<TState> _store;
    private readonly ISagaConsumeContextFactory<ISagaStore<TState>, TState> _factory;
    private readonly SagaInstanceLocks<TState>? _locks;

    public PersistentSagaRepositoryContextFactory(ISagaStore<TState> store, ISagaConsumeContextFactory<ISagaStore<TState>, TState> factory,
        PersistentSagaOptions<TState> options, SagaInstanceLocks<TState> locks)
    {
        _store = store;
        _factory = factory;
        _locks = options.SerializePerInstance ? locks : null;
    }

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", _store.Provider);
        context.Add("table", _store.Table);
    }

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TState, T>> next)
        where T : class
    {
        var correlationId = context.CorrelationId
            ?? throw new SagaException("The CorrelationId was not specified", typeof(TState), typeof(T));
        var held = _locks is null ? null : await _locks.AcquireAsync(correlationId, context.CancellationToken).ConfigureAwait(false);
        try
        {
            await next.Send(new PersistentSagaRepositoryContext<TState, T>(_store, context, _factory)).ConfigureAwait(false);
        }
        finally
        {
            if (held is not null)
            {
                await held.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TState> query, IPipe<SagaRepositoryQueryContext<TState, T>> next)
        where T : class =>
        Task.FromException(new NotSupportedException(QueryNotSupportedMessage + $"{typeof(TState).Name} (message {typeof(T).Name}); correlate by id."));

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TState>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new PersistentLoadSagaRepositoryContext<TState>(_store, cancellationToken));
}
