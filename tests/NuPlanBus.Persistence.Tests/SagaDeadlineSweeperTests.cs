using NuPlanBus.Persistence.Deadlines;
using NuPlanBus.Persistence.Tests.Support;

namespace NuPlanBus.Persistence.Tests;

public sealed class SagaDeadlineSweeperTests
{
    private sealed class FixedQuery(params DueSaga[] due) : ISagaDeadlineQuery<CounterState>
    {
        public DueSaga[] Due { get; set; } = due;

        public Task<IReadOnlyList<DueSaga>> GetDueAsync(DateTime now, int limit, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<DueSaga>>(Due.Where(d => d.Deadline <= now).Take(limit).ToList());
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task A_due_instance_is_reported_again_only_after_the_republish_interval_while_it_stays_due()
    {
        var time = new ManualTime(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var instance = new DueSaga(Guid.NewGuid(), time.Now.UtcDateTime.AddMinutes(-1));
        var query = new FixedQuery(instance);
        var reported = new List<Guid>();
        var sweeper = new SagaDeadlineSweeper<CounterState>(query, (due, _) =>
        {
            reported.Add(due.CorrelationId);
            return Task.CompletedTask;
        }, new SagaDeadlineSweeperOptions { RepublishAfter = TimeSpan.FromSeconds(30) }, time);

        Assert.Equal(1, await sweeper.SweepOnceAsync());
        time.Now += TimeSpan.FromSeconds(10);
        Assert.Equal(0, await sweeper.SweepOnceAsync());
        time.Now += TimeSpan.FromSeconds(25);
        Assert.Equal(1, await sweeper.SweepOnceAsync());

        query.Due = [];
        Assert.Equal(0, await sweeper.SweepOnceAsync());
        // Due again later (a new deadline was set): reported at once, the earlier report was forgotten.
        query.Due = [instance];
        Assert.Equal(1, await sweeper.SweepOnceAsync());
        Assert.Equal([instance.CorrelationId, instance.CorrelationId, instance.CorrelationId], reported);
    }

    [Fact]
    public async Task A_failing_callback_does_not_mark_the_instance_as_reported()
    {
        var instance = new DueSaga(Guid.NewGuid(), DateTime.UtcNow.AddMinutes(-1));
        var fail = true;
        var sweeper = new SagaDeadlineSweeper<CounterState>(new FixedQuery(instance),
            (_, _) => fail ? throw new InvalidOperationException("broker down") : Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(() => sweeper.SweepOnceAsync());
        fail = false;

        Assert.Equal(1, await sweeper.SweepOnceAsync());
    }
}
