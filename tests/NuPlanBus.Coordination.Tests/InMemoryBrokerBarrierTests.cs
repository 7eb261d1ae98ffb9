using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Common.Distributed;
using NuPlanBus.Common.Tests.Distributed;
using NuPlanBus.Contracts;
using NuPlanBus.Coordination.Barriers;

namespace NuPlanBus.Coordination.Tests;

public sealed class InMemoryBarrierHostFixture : IAsyncLifetime
{
    public IHost Host { get; private set; } = null!;

    public IBus Bus => Host.Services.GetRequiredService<IBus>();

    public async Task InitializeAsync() => Host = await BarrierHost.StartInMemoryAsync();

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}

/// <summary>The shared barrier contract on MassTransit's in-memory transport: one host runs the saga and all participants.</summary>
public sealed class InMemoryBrokerBarrierTests(InMemoryBarrierHostFixture fixture)
    : BarrierContractTests, IClassFixture<InMemoryBarrierHostFixture>
{
    protected override IBarrier CreateBarrier() => fixture.Host.Services.GetRequiredService<IBarrier>();

    [Fact]
    public async Task Sixty_four_participants_are_released_together()
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        var expected = Participants(64);

        var seen = await ReleaseAll(barrier, id, 0, expected);

        Assert.All(seen, arrivals => Assert.Equal(64, arrivals));
    }

    [Fact]
    public async Task A_restarted_participant_arriving_after_the_release_learns_it_from_the_state()
    {
        var id = NewBarrierId();
        string[] expected = ["p0", "p1"];
        await Task.WhenAll(expected.Select(p => Arrive(CreateBarrier(), id, 0, p, expected))).WaitAsync(LongTimeout);

        // A fresh barrier object has a fresh endpoint: it never saw the release event, only the state answer can release it.
        await using var restarted = new BrokerBackedBarrier(fixture.Bus, new BrokerBackedBarrierOptions { OutcomeGrace = TimeSpan.Zero });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await restarted.WaitAsync(new BarrierRequest(id, 0, "p1", expected, TimeSpan.FromSeconds(20))).WaitAsync(LongTimeout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_participant_arriving_after_a_timeout_fails_at_once_naming_the_missing()
    {
        var id = NewBarrierId();
        string[] expected = ["p0", "p1", "p2"];
        await Assert.ThrowsAsync<BarrierTimeoutException>(() => Arrive(CreateBarrier(), id, 0, "p0", expected, ShortTimeout).WaitAsync(LongTimeout));

        await using var late = new BrokerBackedBarrier(fixture.Bus);
        var error = await Assert.ThrowsAsync<BarrierTimeoutException>(
            () => late.WaitAsync(new BarrierRequest(id, 0, "p1", expected, TimeSpan.FromSeconds(20))).WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(["p1", "p2"], error.MissingParticipants);
    }

    [Fact]
    public async Task Exactly_one_release_is_published_despite_duplicate_arrivals()
    {
        var id = NewBarrierId();
        var releases = 0;
        var handle = fixture.Bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), KebabCaseEndpointNameFormatter.Instance, e =>
            e.Handler<BarrierReleased>(ctx =>
            {
                if (ctx.Message.BarrierId == id)
                {
                    Interlocked.Increment(ref releases);
                }
                return Task.CompletedTask;
            }));
        await handle.Ready;
        try
        {
            var expected = Participants(8);
            var arrivals = expected.Concat(expected).Concat(expected).Select(p => Arrive(CreateBarrier(), id, 0, p, expected));
            await Task.WhenAll(arrivals).WaitAsync(LongTimeout);
            await Arrive(CreateBarrier(), id, 0, "p3", expected).WaitAsync(LongTimeout);
            await Task.Delay(300);
            Assert.Equal(1, Volatile.Read(ref releases));
        }
        finally
        {
            await handle.StopAsync();
        }
    }
}

public sealed class BarrierCorrelationTests
{
    [Fact]
    public void The_correlation_id_is_a_deterministic_version_5_guid_per_barrier_and_generation()
    {
        var id = BarrierCorrelation.For("sync-job1", 3);
        Assert.Equal(id, BarrierCorrelation.For("sync-job1", 3));
        Assert.NotEqual(id, BarrierCorrelation.For("sync-job1", 4));
        Assert.NotEqual(id, BarrierCorrelation.For("sync-job2", 3));
        Assert.Equal(5, id.Version);
        Assert.Equal(0x8, id.Variant & 0xC);
    }
}
