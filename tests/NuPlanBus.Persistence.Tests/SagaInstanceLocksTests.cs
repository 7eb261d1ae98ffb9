using NuPlanBus.Persistence.Sagas;

namespace NuPlanBus.Persistence.Tests;

public sealed class SagaInstanceLocksTests
{
    [Fact]
    public async Task Messages_for_one_instance_take_turns_and_the_lock_is_dropped_afterwards()
    {
        var locks = new SagaInstanceLocks<object>();
        var id = Guid.NewGuid();
        var inside = 0;
        var maxInside = 0;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            await using (await locks.AcquireAsync(id, CancellationToken.None))
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                await Task.Yield();
                Interlocked.Decrement(ref inside);
            }
        }));

        Assert.Equal(1, maxInside);
        Assert.Equal(0, locks.Count);
    }

    [Fact]
    public async Task Different_instances_do_not_wait_for_each_other()
    {
        var locks = new SagaInstanceLocks<object>();
        await using var first = await locks.AcquireAsync(Guid.NewGuid(), CancellationToken.None);

        var second = locks.AcquireAsync(Guid.NewGuid(), CancellationToken.None);

        Assert.True(second.IsCompleted);
        await (await second).DisposeAsync();
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_no_lock_behind()
    {
        var locks = new SagaInstanceLocks<object>();
        var id = Guid.NewGuid();
        var held = await locks.AcquireAsync(id, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = locks.AcquireAsync(id, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await held.DisposeAsync();
        Assert.Equal(0, locks.Count);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
