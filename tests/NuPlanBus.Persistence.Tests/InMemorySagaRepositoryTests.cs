using System.Collections.Concurrent;
using MassTransit;
using NuPlanBus.Persistence.Sagas;
using NuPlanBus.Persistence.Stores;
using NuPlanBus.Persistence.Tests.Support;

namespace NuPlanBus.Persistence.Tests;

/// <summary>
/// The same contract on the in-memory store. A "restart" or a second process shares the store through the table name,
/// the way two processes share a database file.
/// </summary>
public sealed class InMemorySagaRepositoryTests : SagaRepositoryContract
{
    private readonly ConcurrentDictionary<string, InMemorySagaStore<CounterState>> _databases = new();

    protected override void UseRepository(ISagaRegistrationConfigurator<CounterState> saga, string table,
        Action<PersistentSagaOptions<CounterState>>? configure = null) =>
        saga.StoreRepository(o =>
        {
            o.Table = table;
            configure?.Invoke(o);
        }, (options, _) => _databases.GetOrAdd(options.Table, _ => new InMemorySagaStore<CounterState>(options)));

    /// <summary>One store per table, shared as one database would be.</summary>
    protected override ISagaStore<CounterState> CreateStore(string table) =>
        _databases.GetOrAdd(table, _ => new InMemorySagaStore<CounterState>(new PersistentSagaOptions<CounterState> { Table = table }));
}
