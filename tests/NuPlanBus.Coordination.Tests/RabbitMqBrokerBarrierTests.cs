using MassTransit;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Common.Distributed;
using NuPlanBus.Coordination.Barriers;
using NuPlanBus.Testing;

namespace NuPlanBus.Coordination.Tests;

public sealed class RabbitMqFixture : IAsyncLifetime
{
    public RabbitMqBroker Broker { get; private set; } = null!;

    public async Task InitializeAsync() => Broker = await RabbitMqBroker.StartAsync();

    public async Task DisposeAsync() => await Broker.DisposeAsync();
}

/// <summary>
/// The broker-backed barrier over a real RabbitMQ: the saga in one host, every participant on its own bus (its own
/// connection and temporary queue), as separate nodes would be.
/// </summary>
public sealed class RabbitMqBrokerBarrierTests(RabbitMqFixture fixture) : IClassFixture<RabbitMqFixture>
{
    private static readonly TimeSpan LongTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public async Task Participants_on_their_own_connections_are_released_together(int count)
    {
        await using var cluster = await Cluster.StartAsync(fixture.Broker, count);
        var expected = Enumerable.Range(0, count).Select(i => $"node{i}").ToArray();

        await Task.WhenAll(expected.Select((p, i) => cluster.Barriers[i].WaitAsync(new BarrierRequest("sync-rmq", 0, p, expected, LongTimeout))))
            .WaitAsync(LongTimeout);

        // The same barrier id once more, as the next generation.
        await Task.WhenAll(expected.Select((p, i) => cluster.Barriers[i].WaitAsync(new BarrierRequest("sync-rmq", 1, p, expected, LongTimeout))))
            .WaitAsync(LongTimeout);
    }

    [Fact]
    public async Task A_node_that_never_arrives_is_named_in_every_participants_timeout()
    {
        await using var cluster = await Cluster.StartAsync(fixture.Broker, 3);
        string[] expected = ["node0", "node1", "node2"];

        var waits = Enumerable.Range(0, 2)
            .Select(i => cluster.Barriers[i].WaitAsync(new BarrierRequest("sync-rmq", 0, expected[i], expected, TimeSpan.FromSeconds(1))))
            .ToArray();
        foreach (var wait in waits)
        {
            var error = await Assert.ThrowsAsync<BarrierTimeoutException>(() => wait.WaitAsync(LongTimeout));
            Assert.Equal(["node2"], error.MissingParticipants);
        }
    }

    [Fact]
    public async Task A_node_restarting_after_the_release_learns_it()
    {
        await using var cluster = await Cluster.StartAsync(fixture.Broker, 2);
        string[] expected = ["node0", "node1"];
        await Task.WhenAll(expected.Select((p, i) => cluster.Barriers[i].WaitAsync(new BarrierRequest("sync-rmq", 0, p, expected, LongTimeout))))
            .WaitAsync(LongTimeout);

        var bus = await BarrierHost.StartParticipantBusAsync(fixture.Broker.Endpoint, cluster.VirtualHost);
        try
        {
            await using var restarted = new BrokerBackedBarrier(bus, new BrokerBackedBarrierOptions { OutcomeGrace = TimeSpan.Zero });
            await restarted.WaitAsync(new BarrierRequest("sync-rmq", 0, "node1", expected, TimeSpan.FromSeconds(20))).WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    private sealed class Cluster : IAsyncDisposable
    {
        private readonly IHost _sagaHost;
        private readonly IReadOnlyList<IBusControl> _buses;

        private Cluster(string virtualHost, IHost sagaHost, IReadOnlyList<IBusControl> buses, IReadOnlyList<BrokerBackedBarrier> barriers)
        {
            VirtualHost = virtualHost;
            _sagaHost = sagaHost;
            _buses = buses;
            Barriers = barriers;
        }

        public string VirtualHost { get; }

        public IReadOnlyList<BrokerBackedBarrier> Barriers { get; }

        public static async Task<Cluster> StartAsync(RabbitMqBroker broker, int participants)
        {
            var virtualHost = await broker.CreateVirtualHostAsync("barrier");
            var sagaHost = await BarrierHost.StartOnRabbitMqAsync(broker.Endpoint, virtualHost);
            var buses = await Task.WhenAll(Enumerable.Range(0, participants).Select(_ => BarrierHost.StartParticipantBusAsync(broker.Endpoint, virtualHost)));
            return new Cluster(virtualHost, sagaHost, buses, buses.Select(b => new BrokerBackedBarrier(b)).ToArray());
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var barrier in Barriers)
            {
                await barrier.DisposeAsync();
            }
            await Task.WhenAll(_buses.Select(b => b.StopAsync()));
            await _sagaHost.StopAsync();
            _sagaHost.Dispose();
        }
    }
}
