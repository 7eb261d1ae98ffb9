using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Cli;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Testing;

namespace NuPlanBus.Distributed.IntegrationTests;

/// <summary>One broker for the whole test assembly; every deployment gets its own virtual host.</summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    private RabbitMqBroker? _broker;

    public RabbitMqBroker Broker => _broker ?? throw new InvalidOperationException("The broker did not start.");

    public async Task InitializeAsync() => _broker = await RabbitMqBroker.StartAsync();

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}

[CollectionDefinition(nameof(BrokerCollection))]
public sealed class BrokerCollection : ICollectionFixture<BrokerFixture>;

/// <summary>
/// A deployment of the four services as separate OS processes on one virtual host, with a persistent saga
/// store, plus a bus in the test process to submit runs and follow them.
/// </summary>
public sealed class Deployment : IAsyncDisposable
{
    private readonly List<ServiceProcess> _processes = [];
    private readonly IHost _client;

    private Deployment(string root, string virtualHost, Dictionary<string, string> environment, IHost client)
    {
        Root = root;
        VirtualHost = virtualHost;
        Environment = environment;
        _client = client;
        Bus = client.Services.GetRequiredService<IBus>();
    }

    public string Root { get; }

    public string VirtualHost { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public IBus Bus { get; }

    public IReadOnlyList<ServiceProcess> Processes => _processes;

    public static async Task<Deployment> CreateAsync(
        RabbitMqBroker broker, string name, TimeSpan? partitionDeadline = null, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var root = Directory.CreateTempSubdirectory($"nuplanbus-{name}-").FullName;
        var virtualHost = await broker.CreateVirtualHostAsync(name);
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Bus__Transport"] = "RabbitMq",
            ["Bus__RabbitMq__Host"] = broker.Endpoint.Host,
            ["Bus__RabbitMq__Port"] = broker.Endpoint.Port.ToString(),
            ["Bus__RabbitMq__VirtualHost"] = virtualHost,
            ["Bus__RabbitMq__Username"] = broker.Endpoint.Username,
            ["Bus__RabbitMq__Password"] = broker.Endpoint.Password,
            ["SagaStore__Provider"] = "Sqlite",
            ["SagaStore__ConnectionString"] = $"Data Source={Path.Combine(root, "sagas.db")}",
            ["Coordinator__PartitionDeadline"] = (partitionDeadline ?? TimeSpan.FromSeconds(30)).ToString(),
            ["Coordinator__WatchdogInterval"] = "00:00:01",
            ["SimWorker__ConcurrentPartitions"] = "1",
            ["MetricWorker__ConcurrentScenarios"] = "2",
            ["Management__Enabled"] = "false",
            ["Logging__Format"] = "json",
            ["Storage__LogDatabaseCache__Directory"] = Path.Combine(root, "log-cache"),
        };
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection(environment.Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":"), kv.Value)));
        builder.Services.AddNuPlanBus(builder.Configuration);
        var client = builder.Build();
        await client.StartAsync();
        return new Deployment(root, virtualHost, environment, client);
    }

    public ServiceProcess Start(string service, string? instance = null, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var args = service == "coordinator" ? new[] { "serve" } : [];
        var environment = new Dictionary<string, string>(Environment);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var process = ServiceProcess.Start(instance ?? service, service, args, environment, Root);
        _processes.Add(process);
        return process;
    }

    /// <summary>Coordinator, two SimWorkers, a MetricWorker and the StorageGateway, each started and connected.</summary>
    public async Task StartAllAsync()
    {
        Start("coordinator");
        Start("sim-worker", "sim-worker-1");
        Start("sim-worker", "sim-worker-2");
        Start("metric-worker");
        Start("storage-gateway");
        foreach (var process in _processes.ToList())
        {
            await WaitUntilConnectedAsync(process);
        }
    }

    /// <summary>
    /// Waits until a service's bus has started, i.e. its queues exist and are bound: a message published to an
    /// exchange before that would find no queue and be dropped by the broker.
    /// </summary>
    public async Task WaitUntilConnectedAsync(ServiceProcess process)
    {
        var log = Path.Combine(Root, $"{process.Name}.console.log");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited during start:\n{ConsoleLogs()}");
            }
            using (var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var reader = new StreamReader(stream))
            {
                if ((await reader.ReadToEndAsync()).Contains("Bus started", StringComparison.Ordinal))
                {
                    return;
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{process.Name} did not connect to the broker within 90 s:\n{ConsoleLogs()}");
    }

    public Task<RunOutcome> RunAsync(SubmitSimulationRun submission, IRunProgress progress, TimeSpan timeout)
    {
        var cancellation = new CancellationTokenSource(timeout);
        return RunFollower.FollowAsync(Bus, submission.RunId, () => Bus.Publish(submission, cancellation.Token), progress, cancellation.Token);
    }

    public string ConsoleLogs() =>
        string.Join("\n", Directory.GetFiles(Root, "*.console.log").Select(f => $"--- {Path.GetFileName(f)}\n{Tail(f)}"));

    private static string Tail(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n');
        return string.Join('\n', lines.TakeLast(15));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await _client.StopAsync();
        _client.Dispose();
        if (System.Environment.GetEnvironmentVariable("NUPLANBUS_KEEP_TEST_DIRECTORIES") is not null)
        {
            return;
        }
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a service may still hold a log file open for a moment.
        }
    }
}
