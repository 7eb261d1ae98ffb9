using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NuPlanBus.Persistence.Stores;

namespace NuPlanBus.Persistence.Tests.Support;

/// <summary>Everything the counter saga published, in arrival order.</summary>
public sealed class EventLog
{
    private readonly ConcurrentQueue<object> _events = new();

    public void Add(object message) => _events.Enqueue(message);

    public IReadOnlyList<T> Of<T>() => _events.OfType<T>().ToList();

    public async Task<IReadOnlyList<T>> WaitForAsync<T>(Func<T, bool> predicate, int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var matching = _events.OfType<T>().Where(predicate).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Saw {matching.Count} of {count} {typeof(T).Name} within the timeout.");
            }
            await Task.Delay(20);
        }
    }
}

public sealed class EventLogConsumer(EventLog log) :
    IConsumer<CounterOpened>,
    IConsumer<CounterCompleted>,
    IConsumer<CounterTimedOut>,
    IConsumer<Fault<CounterLookedUp>>,
    IConsumer<Fault<ItemCounted>>
{
    public Task Consume(ConsumeContext<CounterOpened> context) => Record(context.Message);

    public Task Consume(ConsumeContext<CounterCompleted> context) => Record(context.Message);

    public Task Consume(ConsumeContext<CounterTimedOut> context) => Record(context.Message);

    public Task Consume(ConsumeContext<Fault<CounterLookedUp>> context) => Record(context.Message);

    public Task Consume(ConsumeContext<Fault<ItemCounted>> context) => Record(context.Message);

    private Task Record(object message)
    {
        log.Add(message);
        return Task.CompletedTask;
    }
}

/// <summary>
/// One in-memory bus with the counter saga on a given repository, started on creation. Disposing it stops the bus and
/// the container (which disposes the store), like a process exiting; a new one on the same database is a restart.
/// </summary>
public sealed class CounterBus : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private readonly IReadOnlyList<IHostedService> _hosted;

    private CounterBus(ServiceProvider provider, IBusControl bus, IReadOnlyList<IHostedService> hosted)
    {
        _provider = provider;
        Bus = bus;
        _hosted = hosted;
    }

    /// <summary>Console logging when SAGA_TEST_LOG is set (debugging a test), else nothing.</summary>
    private static readonly ILoggerFactory SharedLoggerFactory = Environment.GetEnvironmentVariable("SAGA_TEST_LOG") is null
        ? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance
        : LoggerFactory.Create(b => b.AddConsole().SetMinimumLevel(LogLevel.Debug));

    public IBusControl Bus { get; }

    public EventLog Events => _provider.GetRequiredService<EventLog>();

    public ISagaStore<CounterState> Store => _provider.GetRequiredService<ISagaStore<CounterState>>();

    public IServiceProvider Services => _provider;

    public static async Task<CounterBus> StartAsync(Action<ISagaRegistrationConfigurator<CounterState>> repository,
        CounterEndpointSettings? settings = null, Action<IServiceCollection>? extraServices = null)
    {
        var services = new ServiceCollection();
        extraServices?.Invoke(services);
        services.AddLogging();
        // MassTransit keeps the first bus's logger factory in a static; one that outlives every container survives restarts.
        services.AddSingleton(SharedLoggerFactory);
        services.AddSingleton<EventLog>();
        services.AddSingleton(settings ?? new CounterEndpointSettings());
        services.AddMassTransit(x =>
        {
            x.AddConsumer<EventLogConsumer>();
            repository(x.AddSagaStateMachine<CounterStateMachine, CounterState, CounterStateDefinition>());
            x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        var bus = provider.GetRequiredService<IBusControl>();
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var hosted = provider.GetServices<IHostedService>().Where(h => h.GetType().Namespace?.StartsWith("NuPlanBus", StringComparison.Ordinal) == true).ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }
        return new CounterBus(provider, bus, hosted);
    }

    /// <summary>Polls the store until the instance satisfies the condition (the bus has no "idle" signal).</summary>
    public async Task<CounterState> WaitForStateAsync(Guid id, Func<CounterState, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var state = await Store.LoadAsync(id);
            if (state is not null && condition(state))
            {
                return state;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Counter {id} did not reach the expected state; last seen: {state?.CurrentState ?? "missing"} with {state?.Items.Count} items.");
            }
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }
        await Bus.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await _provider.DisposeAsync();
    }
}
