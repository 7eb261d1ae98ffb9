using System.Diagnostics;
using NuPlanBus.Common.Distributed;

namespace NuPlanBus.Common.Tests.Distributed;

/// <summary>
/// The behaviour every <see cref="IBarrier"/> must have. An implementation's test class derives from this one and
/// supplies <see cref="CreateBarrier"/>; all participants of one test share the barrier it returns.
/// </summary>
public abstract class BarrierContractTests
{
    /// <summary>A barrier that the participants of one test share.</summary>
    protected abstract IBarrier CreateBarrier();

    /// <summary>A timeout that expires quickly for tests that expect one.</summary>
    protected virtual TimeSpan ShortTimeout => TimeSpan.FromMilliseconds(700);

    /// <summary>A timeout that never expires in a passing test.</summary>
    protected virtual TimeSpan LongTimeout => TimeSpan.FromSeconds(30);

    /// <summary>How long to watch that nobody is released too early.</summary>
    protected virtual TimeSpan EarlyReleaseProbe => TimeSpan.FromMilliseconds(300);

    protected static string NewBarrierId() => "contract-" + Guid.NewGuid().ToString("N")[..12];

    protected static string[] Participants(int count) => Enumerable.Range(0, count).Select(i => $"p{i}").ToArray();

    protected Task Arrive(IBarrier barrier, string barrierId, long generation, string participant, IReadOnlyCollection<string> expected, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => barrier.WaitAsync(new BarrierRequest(barrierId, generation, participant, expected, timeout ?? LongTimeout), cancellationToken));

    /// <summary>
    /// Every participant of a generation arrives, then waits; each returns how many had arrived when it was released.
    /// A barrier that lets anyone go before the last arrival shows it as a count below the participants'.
    /// </summary>
    protected Task<int[]> ReleaseAll(IBarrier barrier, string barrierId, long generation, IReadOnlyCollection<string> expected)
    {
        var arrived = 0;
        return Task.WhenAll(expected.Select(participant => Task.Run(async () =>
        {
            var request = new BarrierRequest(barrierId, generation, participant, expected, LongTimeout);
            Interlocked.Increment(ref arrived);
            await barrier.WaitAsync(request);
            return Volatile.Read(ref arrived);
        }))).WaitAsync(LongTimeout);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(32)]
    public async Task All_participants_are_released_once_everybody_arrived(int count)
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        var expected = Participants(count);

        var seen = await ReleaseAll(barrier, id, 0, expected);

        Assert.All(seen, arrivals => Assert.Equal(count, arrivals));
    }

    [Fact]
    public async Task Nobody_is_released_before_the_last_participant_arrives()
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        var expected = Participants(3);

        var early = expected.Take(2).Select(p => Arrive(barrier, id, 0, p, expected)).ToArray();
        await Task.Delay(EarlyReleaseProbe);
        Assert.All(early, t => Assert.False(t.IsCompleted));

        var last = Arrive(barrier, id, 0, expected[2], expected);
        await Task.WhenAll([.. early, last]).WaitAsync(LongTimeout);
    }

    [Fact]
    public async Task A_participant_that_never_arrives_is_named_in_the_timeout()
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        var expected = Participants(3);

        var arrivals = expected.Take(2).Select(p => Arrive(barrier, id, 4, p, expected, ShortTimeout)).ToArray();

        foreach (var arrival in arrivals)
        {
            var error = await Assert.ThrowsAsync<BarrierTimeoutException>(() => arrival.WaitAsync(LongTimeout));
            Assert.Equal(id, error.BarrierId);
            Assert.Equal(4, error.Generation);
            Assert.Equal(["p2"], error.MissingParticipants);
            Assert.Contains("p2", error.Message);
            Assert.Contains(id, error.Message);
        }
    }

    [Fact]
    public async Task A_participant_arriving_twice_counts_once()
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        var expected = Participants(3);

        var arrivals = new List<Task>
        {
            Arrive(barrier, id, 0, "p0", expected),
            Arrive(barrier, id, 0, "p0", expected),
            Arrive(barrier, id, 0, "p1", expected),
        };
        await Task.Delay(EarlyReleaseProbe);
        Assert.All(arrivals, t => Assert.False(t.IsCompleted));

        arrivals.Add(Arrive(barrier, id, 0, "p2", expected));
        await Task.WhenAll(arrivals).WaitAsync(LongTimeout);
    }

    [Fact]
    public async Task A_double_arrival_cannot_stand_in_for_a_missing_participant()
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        string[] expected = ["p0", "p1"];

        var first = Arrive(barrier, id, 0, "p0", expected, ShortTimeout);
        var second = Arrive(barrier, id, 0, "p0", expected, ShortTimeout);

        var error = await Assert.ThrowsAsync<BarrierTimeoutException>(() => first.WaitAsync(LongTimeout));
        Assert.Equal(["p1"], error.MissingParticipants);
        await Assert.ThrowsAsync<BarrierTimeoutException>(() => second.WaitAsync(LongTimeout));
    }

    [Fact]
    public async Task The_same_barrier_id_is_reusable_across_generations()
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        var expected = Participants(4);

        for (var generation = 0; generation < 3; generation++)
        {
            var seen = await ReleaseAll(barrier, id, generation, expected);
            Assert.All(seen, arrivals => Assert.Equal(expected.Length, arrivals));
        }
    }

    [Fact]
    public async Task A_participant_already_at_the_next_generation_does_not_release_the_current_one()
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        string[] expected = ["p0", "p1"];

        var p0Current = Arrive(barrier, id, 0, "p0", expected);
        var p1Next = Arrive(barrier, id, 1, "p1", expected);
        await Task.Delay(EarlyReleaseProbe);
        Assert.False(p0Current.IsCompleted);
        Assert.False(p1Next.IsCompleted);

        var p1Current = Arrive(barrier, id, 0, "p1", expected);
        await Task.WhenAll(p0Current, p1Current).WaitAsync(LongTimeout);
        Assert.False(p1Next.IsCompleted);

        await Task.WhenAll(p1Next, Arrive(barrier, id, 1, "p0", expected)).WaitAsync(LongTimeout);
    }

    [Fact]
    public async Task A_participant_arriving_again_after_the_release_is_released_at_once()
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        string[] expected = ["p0", "p1"];
        await Task.WhenAll(expected.Select(p => Arrive(barrier, id, 0, p, expected))).WaitAsync(LongTimeout);

        // A restarted node re-entering a generation that already completed must not wait for the others again: alone,
        // it would time out after ShortTimeout with a BarrierTimeoutException.
        var again = Arrive(barrier, id, 0, "p1", expected, ShortTimeout);
        await again.WaitAsync(LongTimeout);
        Assert.True(again.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_waiting_participant_can_be_cancelled()
    {
        var barrier = CreateBarrier();
        using var cancellation = new CancellationTokenSource();
        var waiting = Arrive(barrier, NewBarrierId(), 0, "p0", ["p0", "p1"], cancellationToken: cancellation.Token);

        await Task.Delay(EarlyReleaseProbe);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(LongTimeout));
    }

    [Fact]
    public async Task A_participant_outside_the_expected_set_is_rejected()
    {
        var barrier = CreateBarrier();
        await Assert.ThrowsAsync<ArgumentException>(() => barrier.WaitAsync(new BarrierRequest(NewBarrierId(), 0, "stranger", ["p0"], LongTimeout)));
    }

    [Fact]
    public async Task Release_is_prompt_once_the_last_participant_arrives()
    {
        var barrier = CreateBarrier();
        var id = NewBarrierId();
        var expected = Participants(4);
        var early = expected.Take(3).Select(p => Arrive(barrier, id, 0, p, expected)).ToArray();
        await Task.Delay(EarlyReleaseProbe);

        var clock = Stopwatch.StartNew();
        await Task.WhenAll([.. early, Arrive(barrier, id, 0, expected[3], expected)]).WaitAsync(LongTimeout);

        Assert.True(clock.Elapsed < MaxReleaseLatency, $"released after {clock.Elapsed}, expected under {MaxReleaseLatency}");
    }

    /// <summary>Upper bound on the time from the last arrival to everybody's release (about one poll interval plus slack).</summary>
    protected virtual TimeSpan MaxReleaseLatency => TimeSpan.FromSeconds(2);
}
