using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;
using NuPlanBus.Persistence.Stores;

namespace NuPlanBus.Persistence.Sagas;

/// <summary>
/// The repository seen by MassTransit's saga pipes for one message. New instances (<see cref="Add"/> then
/// <see cref="Save"/>) are inserted only if absent, so two initiating events racing never create two instances: the
/// loser gets a <see cref="ConcurrencyException"/>, is retried, and then loads the winner's instance.
/// </summary>
public sealed class PersistentSagaRepositoryContext<TState, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TState, TMessage>
    where TState : class, ISagaVersion
    where TMessage : class
{
    private readonly ConsumeContext<TMessage> _context;
    private readonly ISagaStore<TState> _store;
    private readonly ISagaConsumeContextFactory<ISagaStore<TState>, TState> _factory;

    public PersistentSagaRepositoryContext(ISagaStore<TState> store, ConsumeContext<TMessage> context,
        ISagaConsumeContextFactory<ISagaStore<TState>, TState> factory)
        : base(context)
    {
        _store = store;
        _context = context;
        _factory = factory;
    }

    public Task<SagaConsumeContext<TState, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TState instance, SagaConsumeContextMode mode)
        where T : class =>
        _factory.CreateSagaConsumeContext(_store, consumeContext, instance, mode);

    public Task<SagaConsumeContext<TState, TMessage>> Add(TState instance) =>
        _factory.CreateSagaConsumeContext(_store, _context, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TState, TMessage>> Insert(TState instance)
    {
        if (!await _store.TryInsertAsync(instance, CancellationToken).ConfigureAwait(false))
        {
            // MassTransit then loads the existing instance.
            return null!;
        }
        return await _factory.CreateSagaConsumeContext(_store, _context, instance, SagaConsumeContextMode.Insert).ConfigureAwait(false);
    }

    public async Task<SagaConsumeContext<TState, TMessage>> Load(Guid correlationId)
    {
        var instance = await _store.LoadAsync(correlationId, CancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return null!;
        }
        return await _factory.CreateSagaConsumeContext(_store, _context, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    public async Task Save(SagaConsumeContext<TState> context)
    {
        if (!await _store.TryInsertAsync(context.Saga, CancellationToken).ConfigureAwait(false))
        {
            throw new ConcurrencyException(
                $"Saga instance {context.Saga.CorrelationId} was created by another message first; retry to load it",
                typeof(TState), context.Saga.CorrelationId);
        }
    }

    public Task Update(SagaConsumeContext<TState> context) => _store.UpdateAsync(context.Saga, CancellationToken);

    public Task Delete(SagaConsumeContext<TState> context) => _store.DeleteAsync(context.Saga, CancellationToken);

    /// <summary>An instance added and finalised by the same message was never written.</summary>
    public Task Discard(SagaConsumeContext<TState> context) => Task.CompletedTask;

    /// <summary>Nothing to undo: every write is its own statement and only happens after the saga's behaviour ran.</summary>
    public Task Undo(SagaConsumeContext<TState> context) => Task.CompletedTask;
}

/// <summary>Loads instances outside of a message (MassTransit's <see cref="ILoadSagaRepository{TSaga}"/>).</summary>
public sealed class PersistentLoadSagaRepositoryContext<TState>(ISagaStore<TState> store, CancellationToken cancellationToken) :
    BasePipeContext(cancellationToken),
    LoadSagaRepositoryContext<TState>
    where TState : class, ISagaVersion
{
    public async Task<TState> Load(Guid correlationId) =>
        (await store.LoadAsync(correlationId, CancellationToken).ConfigureAwait(false))!;
}
