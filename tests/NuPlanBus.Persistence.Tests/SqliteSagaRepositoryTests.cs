using MassTransit;
using Microsoft.Data.Sqlite;
using NuPlanBus.Persistence.Sagas;
using NuPlanBus.Persistence.Stores;
using NuPlanBus.Persistence.Tests.Support;

namespace NuPlanBus.Persistence.Tests;

/// <summary>The store contract on a SQLite file in a fresh run directory (which does not exist until the store creates it).</summary>
public sealed class SqliteSagaRepositoryTests : SagaRepositoryContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nuplanbus-saga-tests", Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_root, "run", "sagas.db");

    private string ConnectionString => $"Data Source={DatabasePath}";

    protected override void UseRepository(ISagaRegistrationConfigurator<CounterState> saga, string table,
        Action<PersistentSagaOptions<CounterState>>? configure = null) =>
        saga.SqliteRepository(ConnectionString, o =>
        {
            o.Table = table;
            configure?.Invoke(o);
        });

    protected override ISagaStore<CounterState> CreateStore(string table) =>
        new SqliteSagaStore<CounterState>(ConnectionString, new PersistentSagaOptions<CounterState> { Table = table });

    [Fact]
    public async Task The_database_is_created_in_its_directory_in_WAL_mode()
    {
        using var store = new SqliteSagaStore<CounterState>(ConnectionString, new PersistentSagaOptions<CounterState> { Table = NewTable() });

        await store.EnsureCreatedAsync();

        Assert.True(File.Exists(DatabasePath));
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task The_row_carries_the_current_state_and_deadline_columns_for_operators()
    {
        var table = NewTable();
        using var store = new SqliteSagaStore<CounterState>(ConnectionString, new PersistentSagaOptions<CounterState> { Table = table });
        var id = Guid.NewGuid();
        await store.TryInsertAsync(new CounterState
        {
            CorrelationId = id,
            CurrentState = "Counting",
            Deadline = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        });

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT current_state, deadline, version, json_extract(state, '$.Items') IS NULL FROM {table} WHERE correlation_id = '{id:D}'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("Counting", reader.GetString(0));
        Assert.Equal("2030-01-01T00:00:00.0000000Z", reader.GetString(1));
        Assert.Equal(1, reader.GetInt32(2));
        // The items live in rows of their own, not in the state's JSON.
        Assert.Equal(1L, reader.GetInt64(3));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
