using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.StorageGateway.Tests;

/// <summary>One in-memory harness with the StorageGateway's contributions over a temporary directory.</summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private GatewayHarness(ServiceProvider provider, string root)
    {
        _provider = provider;
        Root = root;
        Harness = provider.GetRequiredService<ITestHarness>();
    }

    public string Root { get; }

    public ITestHarness Harness { get; }

    public NuPlanBusMetrics Metrics => _provider.GetRequiredService<NuPlanBusMetrics>();

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public static async Task<GatewayHarness> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var root = Directory.CreateTempSubdirectory("storage-gateway-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStorageGateway(configuration);
        services.AddMassTransitTestHarness(bus => bus.ApplyBusContributions(services));
        var provider = services.BuildServiceProvider(validateScopes: true);
        var gateway = new GatewayHarness(provider, root);
        await gateway.Harness.Start();
        return gateway;
    }

    /// <summary>Writes a file (creating its directories) and dates it <paramref name="age"/> back.</summary>
    public string WriteFile(string relative, TimeSpan age)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relative);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - age);
        return path;
    }

    public async Task<TResponse> RequestAsync<TRequest, TResponse>(TRequest request)
        where TRequest : class
        where TResponse : class
    {
        var client = Harness.GetRequestClient<TRequest>();
        var response = await client.GetResponse<TResponse>(request);
        return response.Message;
    }

    /// <summary>Sends a command to the gateway and waits for the event it publishes.</summary>
    public async Task<TEvent> SendAndAwaitAsync<TCommand, TEvent>(TCommand command)
        where TCommand : class
        where TEvent : class
    {
        await Harness.Bus.Publish(command);
        var published = await Harness.Published.SelectAsync<TEvent>().FirstOrDefault();
        Assert.NotNull(published);
        return published.Context.Message;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
