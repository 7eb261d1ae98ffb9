using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Persistence.Deadlines;
using NuPlanBus.Persistence.Sagas;
using NuPlanBus.Persistence.Stores;
using NuPlanBus.Persistence.Tests.Support;

namespace NuPlanBus.Persistence.Tests;

public sealed class RegistrationTests
{
    private static ServiceProvider Register(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new CounterEndpointSettings());
        services.AddMassTransit(x =>
        {
            x.AddSagaStateMachine<CounterStateMachine, CounterState, CounterStateDefinition>().UsePersistentRepository(configuration);
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_SagaStore_section_picks_SQLite_with_the_configured_file_and_table()
    {
        var directory = Path.Combine(Path.GetTempPath(), "nuplanbus-saga-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using var provider = Register(new()
            {
                ["SagaStore:Provider"] = "sqlite",
                ["SagaStore:ConnectionString"] = $"Data Source={Path.Combine(directory, "sagas.db")}",
                ["SagaStore:Table"] = "runs",
            });

            var store = provider.GetRequiredService<ISagaStore<CounterState>>();

            Assert.IsType<SqliteSagaStore<CounterState>>(store);
            Assert.Equal("runs", store.Table);
            Assert.Same(store, provider.GetRequiredService<ISagaDeadlineQuery<CounterState>>());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_SagaStore_section_picks_the_in_memory_store_for_tests_and_names_the_table_after_the_state()
    {
        using var provider = Register(new() { ["SagaStore:Provider"] = "InMemory" });

        var store = provider.GetRequiredService<ISagaStore<CounterState>>();

        Assert.IsType<InMemorySagaStore<CounterState>>(store);
        Assert.Equal("counter_state", store.Table);
    }

    [Fact]
    public void The_SagaStore_section_picks_PostgreSQL_with_its_connection_string()
    {
        using var provider = Register(new()
        {
            ["SagaStore:Provider"] = "Postgres",
            ["SagaStore:ConnectionString"] = "Host=localhost;Database=nowhere",
        });

        Assert.IsType<PostgresSagaStore<CounterState>>(provider.GetRequiredService<ISagaStore<CounterState>>());
    }

    [Theory]
    [InlineData("Provider", "Mongo", "Provider 'Mongo' is unknown")]
    [InlineData("Provider", "Postgres", "ConnectionString is required")]
    [InlineData("Table", "runs; DROP TABLE x", "not a plain identifier")]
    [InlineData("BusyTimeout", "soon", "not a time span")]
    public void A_bad_SagaStore_section_fails_at_registration(string key, string value, string reason)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"SagaStore:{key}"] = value }).Build();

        var error = Assert.ThrowsAny<Exception>(() => SagaStoreOptions.FromConfiguration(configuration));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void An_empty_section_means_a_SQLite_file_in_the_working_directory()
    {
        var options = SagaStoreOptions.FromConfiguration(new ConfigurationBuilder().Build());

        Assert.Equal(SagaStoreProvider.Sqlite, options.Provider);
        Assert.Null(options.ConnectionString);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BusyTimeout);
    }

    [Theory]
    [InlineData(typeof(CounterState), "counter_state")]
    [InlineData(typeof(SagaStoreOptions), "saga_store_options")]
    [InlineData(typeof(HTTPRunState), "http_run_state")]
    public void Default_table_names_are_the_state_type_in_snake_case(Type type, string expected)
    {
        var name = (string)typeof(SagaTableName).GetMethod(nameof(SagaTableName.For))!.MakeGenericMethod(type).Invoke(null, null)!;

        Assert.Equal(expected, name);
    }

    private sealed class HTTPRunState;
}
