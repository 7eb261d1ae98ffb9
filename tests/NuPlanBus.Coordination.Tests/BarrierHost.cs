using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NuPlanBus.Coordination;
using NuPlanBus.Coordination.Barriers;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Testing;

namespace NuPlanBus.Coordination.Tests;

/// <summary>A process hosting the barrier saga (in-memory saga store, fast deadline sweeps) on a bus.</summary>
public static class BarrierHost
{
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(100);

    public static async Task<IHost> StartAsync(Action<IBusRegistrationConfigurator> transport)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["SagaStore:Provider"] = "InMemory" });
        builder.Services.AddBrokerBarrierSaga(builder.Configuration, o => o.Interval = SweepInterval);
        builder.Services.AddBrokerBackedBarrier(new BrokerBackedBarrierOptions { OutcomeGrace = TimeSpan.FromSeconds(5) });
        builder.Services.AddMassTransit(bus =>
        {
            bus.ApplyBusContributions(builder.Services);
            transport(bus);
        });
        // Bind the saga's queue before anyone publishes an arrival to it.
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static Task<IHost> StartInMemoryAsync() =>
        StartAsync(bus => bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context)));

    public static Task<IHost> StartOnRabbitMqAsync(BrokerEndpoint broker, string virtualHost) =>
        StartAsync(bus => bus.UsingRabbitMq((context, cfg) =>
        {
            ConfigureHost(cfg, broker, virtualHost);
            cfg.ConfigureEndpoints(context);
        }));

    /// <summary>A participant's own bus (own connection) on the broker, with no saga on it.</summary>
    public static async Task<IBusControl> StartParticipantBusAsync(BrokerEndpoint broker, string virtualHost)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => ConfigureHost(cfg, broker, virtualHost));
        await bus.StartAsync();
        return bus;
    }

    private static void ConfigureHost(IRabbitMqBusFactoryConfigurator cfg, BrokerEndpoint broker, string virtualHost) =>
        cfg.Host(broker.Host, (ushort)broker.Port, virtualHost, h =>
        {
            h.Username(broker.Username);
            h.Password(broker.Password);
        });
}
