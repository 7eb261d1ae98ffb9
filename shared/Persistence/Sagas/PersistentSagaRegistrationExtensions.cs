using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NuPlanBus.Persistence.Deadlines;
using NuPlanBus.Persistence.Stores;

namespace NuPlanBus.Persistence.Sagas;

/// <summary>
/// Registers a saga state machine's repository on one of the NuPlanBus saga stores. Besides MassTransit's repository
/// services it registers <see cref="ISagaStore{TState}"/> and <see cref="ISagaDeadlineQuery{TState}"/> as singletons.
/// </summary>
/// <example>
/// <code>
/// bus.AddSagaStateMachine&lt;SimulationRunStateMachine, SimulationRunState, SimulationRunStateDefinition&gt;()
///     .UsePersistentRepository(configuration);
/// </code>
/// </example>
public static class PersistentSagaRegistrationExtensions
{
    /// <summary>Picks the store from the <c>SagaStore</c> configuration section (<see cref="SagaStoreOptions"/>).</summary>
    public static ISagaRegistrationConfigurator<TState> UsePersistentRepository<TState>(this ISagaRegistrationConfigurator<TState> configurator,
        IConfiguration configuration, Action<PersistentSagaOptions<TState>>? configure = null)
        where TState : class, ISagaVersion =>
        configurator.UsePersistentRepository(SagaStoreOptions.FromConfiguration(configuration), configure);

    public static ISagaRegistrationConfigurator<TState> UsePersistentRepository<TState>(this ISagaRegistrationConfigurator<TState> configurator,
        SagaStoreOptions store, Action<PersistentSagaOptions<TState>>? configure = null)
        where TState : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Validate();
        void Configure(PersistentSagaOptions<TState> options)
        {
            if (store.Table is not null)
            {
                options.Table = store.Table;
            }
            configure?.Invoke(options);
        }
        return store.Provider switch
        {
            SagaStoreProvider.InMemory => configurator.InMemoryStoreRepository(Configure),
            SagaStoreProvider.Sqlite => configurator.SqliteRepository(store.ConnectionString ?? SagaStoreOptions.DefaultSqliteConnectionString, Configure, store.BusyTimeout),
            SagaStoreProvider.Postgres => configurator.PostgresRepository(store.ConnectionString!, Configure),
            _ => throw new InvalidOperationException($"Unknown saga store provider '{store.Provider}'."),
        };
    }

    /// <summary>A SQLite file; the directory of the file is created if missing.</summary>
    public static ISagaRegistrationConfigurator<TState> SqliteRepository<TState>(this ISagaRegistrationConfigurator<TState> configurator,
        string connectionString, Action<PersistentSagaOptions<TState>>? configure = null, TimeSpan? busyTimeout = null)
        where TState : class, ISagaVersion
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return configurator.StoreRepository(configure,
            (options, provider) => new SqliteSagaStore<TState>(connectionString, options, busyTimeout, provider.GetService<TimeProvider>()));
    }

    /// <summary>PostgreSQL through a data source the application owns (and disposes).</summary>
    public static ISagaRegistrationConfigurator<TState> PostgresRepository<TState>(this ISagaRegistrationConfigurator<TState> configurator,
        NpgsqlDataSource dataSource, Action<PersistentSagaOptions<TState>>? configure = null)
        where TState : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return configurator.StoreRepository(configure,
            (options, provider) => new PostgresSagaStore<TState>(dataSource, options, provider.GetService<TimeProvider>()));
    }

    /// <summary>PostgreSQL through a data source created for this saga and disposed with the container.</summary>
    public static ISagaRegistrationConfigurator<TState> PostgresRepository<TState>(this ISagaRegistrationConfigurator<TState> configurator,
        string connectionString, Action<PersistentSagaOptions<TState>>? configure = null)
        where TState : class, ISagaVersion
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return configurator.StoreRepository(configure,
            (options, provider) => new PostgresSagaStore<TState>(connectionString, options, provider.GetService<TimeProvider>()));
    }

    /// <summary>The in-memory store (tests only): same JSON round trip and version checks, nothing persisted.</summary>
    public static ISagaRegistrationConfigurator<TState> InMemoryStoreRepository<TState>(this ISagaRegistrationConfigurator<TState> configurator,
        Action<PersistentSagaOptions<TState>>? configure = null)
        where TState : class, ISagaVersion =>
        configurator.StoreRepository(configure, (options, _) => new InMemorySagaStore<TState>(options));

    /// <summary>Any <see cref="ISagaStore{TState}"/>; the store is a singleton and disposed with the container.</summary>
    public static ISagaRegistrationConfigurator<TState> StoreRepository<TState>(this ISagaRegistrationConfigurator<TState> configurator,
        Action<PersistentSagaOptions<TState>>? configure, Func<PersistentSagaOptions<TState>, IServiceProvider, ISagaStore<TState>> createStore)
        where TState : class, ISagaVersion
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(createStore);
        var options = new PersistentSagaOptions<TState>();
        configure?.Invoke(options);
        SagaTableName.Validate(options.Table);
        configurator.Repository(r =>
        {
            r.AddSingleton(options);
            r.AddSingleton<SagaInstanceLocks<TState>>();
            r.AddSingleton(provider => createStore(options, provider));
            r.AddSingleton<ISagaDeadlineQuery<TState>>(provider => provider.GetRequiredService<ISagaStore<TState>>());
            r.RegisterSagaRepository<TState, ISagaStore<TState>, SagaConsumeContextFactory<ISagaStore<TState>, TState>,
                PersistentSagaRepositoryContextFactory<TState>>();
            r.RegisterLoadSagaRepository<TState, PersistentSagaRepositoryContextFactory<TState>>();
        });
        return configurator;
    }
}
