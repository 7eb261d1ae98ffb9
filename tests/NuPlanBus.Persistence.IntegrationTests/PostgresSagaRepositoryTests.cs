using MassTransit;
using Npgsql;
using NuPlanBus.Persistence.Sagas;
using NuPlanBus.Persistence.Stores;
using NuPlanBus.Persistence.Tests.Support;

namespace NuPlanBus.Persistence.IntegrationTests;

/// <summary>The store contract (concurrency, duplicates, restart, deadlines) against a real PostgreSQL server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSagaRepositoryTests(PostgresServer server) : SagaRepositoryContract, IAsyncLifetime
{
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await server.DatabaseAsync("saga_repository");

    public Task DisposeAsync() => Task.CompletedTask;

    protected override void UseRepository(ISagaRegistrationConfigurator<CounterState> saga, string table,
        Action<PersistentSagaOptions<CounterState>>? configure = null) =>
        saga.PostgresRepository(_connectionString, o =>
        {
            o.Table = table;
            configure?.Invoke(o);
        });

    protected override ISagaStore<CounterState> CreateStore(string table) =>
        new PostgresSagaStore<CounterState>(_connectionString, new PersistentSagaOptions<CounterState> { Table = table });

    [Fact]
    public async Task Stores_starting_together_create_the_table_once_and_both_work()
    {
        var table = NewTable();
        var stores = Enumerable.Range(0, 6)
            .Select(_ => new PostgresSagaStore<CounterState>(_connectionString, new PersistentSagaOptions<CounterState> { Table = table }))
            .ToList();
        try
        {
            var inserted = await Task.WhenAll(stores.Select(s => s.TryInsertAsync(new CounterState { CorrelationId = Guid.NewGuid() })));

            Assert.All(inserted, Assert.True);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_shared_data_source_is_not_disposed_by_the_store_and_the_columns_have_their_types()
    {
        await using var dataSource = NpgsqlDataSource.Create(_connectionString);
        var table = NewTable();
        var id = Guid.NewGuid();
        await using (var store = new PostgresSagaStore<CounterState>(dataSource, new PersistentSagaOptions<CounterState> { Table = table }))
        {
            await store.TryInsertAsync(new CounterState
            {
                CorrelationId = id,
                CurrentState = "Counting",
                Deadline = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            });
        }

        await using var command = dataSource.CreateCommand(
            $"SELECT current_state, deadline, version, state->>'Name', pg_typeof(correlation_id)::text, pg_typeof(state)::text FROM {table} WHERE correlation_id = $1");
        command.Parameters.AddWithValue(id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("Counting", reader.GetString(0));
        Assert.Equal(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc), reader.GetDateTime(1));
        Assert.Equal(1, reader.GetInt32(2));
        Assert.Equal("", reader.GetString(3));
        Assert.Equal("uuid", reader.GetString(4));
        Assert.Equal("json", reader.GetString(5));
    }
}
