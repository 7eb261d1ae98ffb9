using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using NuPlanBus.Persistence.Deadlines;
using NuPlanBus.Persistence.Stores;

namespace NuPlanBus.Persistence.Tests.Support;

/// <summary>
/// The behaviour every saga store must show, run against SQLite (unit tests) and PostgreSQL (integration tests).
/// Each test uses its own table, so tests never see each other's instances.
/// </summary>
public abstract class SagaRepositoryContract
{
    /// <summary>Registers the counter saga's repository on the store under test, on the given table.</summary>
    protected abstract void UseRepository(ISagaRegistrationConfigurator<CounterState> saga, string table,
        Action<PersistentSagaOptions<CounterState>>? configure = null);

    /// <summary>A store outside of any bus, on the given table; disposed by the caller.</summary>
    protected abstract ISagaStore<CounterState> CreateStore(string table);

    protected static string NewTable() => "counter_" + Guid.NewGuid().ToString("N")[..12];

    private Task<CounterBus> StartBusAsync(string table, Action<PersistentSagaOptions<CounterState>>? configure = null,
        CounterEndpointSettings? settings = null) =>
        CounterBus.StartAsync(saga => UseRepository(saga, table, configure), settings);

    [Fact]
    public async Task Concurrent_events_for_one_instance_with_duplicates_count_each_item_once_and_complete_once()
    {
        await using var bus = await StartBusAsync(NewTable());
        var id = Guid.NewGuid();
        await bus.Bus.Publish(new CounterStarted(id, Expected: 200));
        await bus.Events.WaitForAsync<CounterOpened>(e => e.CounterId == id);

        var items = Enumerable.Range(0, 200).Select(i => new ItemCounted(id, $"item-{i}"));
        var duplicates = Enumerable.Range(0, 200).Where(i => i % 4 == 0).Select(i => new ItemCounted(id, $"item-{i}", Weight: 2.0));
        var starts = Enumerable.Range(0, 5).Select(_ => (object)new CounterStarted(id, Expected: 999));
        await Task.WhenAll(items.Concat(duplicates).Cast<object>().Concat(starts).Select(m => bus.Bus.Publish(m)));

        await bus.Events.WaitForAsync<CounterCompleted>(e => e.CounterId == id);
        var state = await bus.WaitForStateAsync(id, s => s.CurrentState == "Done");
        await Task.Delay(300);

        var completed = Assert.Single(bus.Events.Of<CounterCompleted>());
        Assert.Equal(200, completed.Counted);
        Assert.Single(bus.Events.Of<CounterOpened>());
        Assert.Empty(bus.Events.Of<Fault<ItemCounted>>());
        state = (await bus.Store.LoadAsync(id))!;
        Assert.Equal(200, state.Items.Count);
        Assert.Equal(200, state.Expected);
        Assert.All(state.Items.Values, item => Assert.Equal(ItemKind.Plain, item.Kind));
        Assert.Null(state.Deadline);
    }

    [Fact]
    public async Task Without_the_in_process_lock_version_conflicts_are_retried_to_the_same_result()
    {
        await using var bus = await StartBusAsync(NewTable(), o => o.SerializePerInstance = false,
            new CounterEndpointSettings { ConcurrentMessageLimit = 16, RetryLimit = 40 });
        var id = Guid.NewGuid();
        await bus.Bus.Publish(new CounterStarted(id, Expected: 60));
        await bus.Events.WaitForAsync<CounterOpened>(e => e.CounterId == id);

        var items = Enumerable.Range(0, 60).Select(i => new ItemCounted(id, $"item-{i % 60}"));
        var duplicates = Enumerable.Range(0, 20).Select(i => new ItemCounted(id, $"item-{i}"));
        await Task.WhenAll(items.Concat(duplicates).Select(m => bus.Bus.Publish(m)));

        await bus.Events.WaitForAsync<CounterCompleted>(e => e.CounterId == id);
        await bus.WaitForStateAsync(id, s => s.CurrentState == "Done");
        await Task.Delay(300);

        Assert.Single(bus.Events.Of<CounterCompleted>());
        Assert.Empty(bus.Events.Of<Fault<ItemCounted>>());
        Assert.Equal(60, (await bus.Store.LoadAsync(id))!.Items.Count);
    }

    [Fact]
    public async Task Racing_initiating_events_create_one_instance_and_announce_it_once()
    {
        await using var bus = await StartBusAsync(NewTable(), o => o.SerializePerInstance = false);
        var id = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => bus.Bus.Publish(new CounterStarted(id, Expected: 10 + i))));

        await bus.Events.WaitForAsync<CounterOpened>(e => e.CounterId == id);
        await Task.Delay(500);
        Assert.Single(bus.Events.Of<CounterOpened>());
        var state = await bus.WaitForStateAsync(id, s => s.CurrentState == "Counting");
        Assert.InRange(state.Expected, 10, 29);
    }

    [Fact]
    public async Task Two_processes_on_one_store_count_each_item_once_and_complete_once()
    {
        var table = NewTable();
        await using var first = await StartBusAsync(table);
        await using var second = await StartBusAsync(table);
        var id = Guid.NewGuid();
        await Task.WhenAll(first.Bus.Publish(new CounterStarted(id, 100)), second.Bus.Publish(new CounterStarted(id, 100)));
        await first.WaitForStateAsync(id, s => s.CurrentState == "Counting");

        await Task.WhenAll(Enumerable.Range(0, 100).SelectMany(i => new[]
        {
            (i % 2 == 0 ? first : second).Bus.Publish(new ItemCounted(id, $"item-{i}")),
            (i % 3 == 0 ? first : second).Bus.Publish(new ItemCounted(id, $"item-{i}")),
        }));

        await first.WaitForStateAsync(id, s => s.CurrentState == "Done");
        await Task.Delay(500);
        Assert.Single(first.Events.Of<CounterCompleted>().Concat(second.Events.Of<CounterCompleted>()));
        Assert.Single(first.Events.Of<CounterOpened>().Concat(second.Events.Of<CounterOpened>()));
        Assert.Empty(first.Events.Of<Fault<ItemCounted>>().Concat(second.Events.Of<Fault<ItemCounted>>()));
        Assert.Equal(100, (await first.Store.LoadAsync(id))!.Items.Count);
    }

    [Fact]
    public async Task An_instance_survives_a_restart_and_continues_where_it_stopped()
    {
        var table = NewTable();
        var id = Guid.NewGuid();
        await using (var before = await StartBusAsync(table))
        {
            await before.Bus.Publish(new CounterStarted(id, Expected: 10));
            await before.Events.WaitForAsync<CounterOpened>(e => e.CounterId == id);
            await Task.WhenAll(Enumerable.Range(0, 6).Select(i => before.Bus.Publish(new ItemCounted(id, $"item-{i}"))));
            await before.WaitForStateAsync(id, s => s.Items.Count == 6);
        }

        await using var after = await StartBusAsync(table);
        var restored = (await after.Store.LoadAsync(id))!;
        Assert.Equal("Counting", restored.CurrentState);
        Assert.Equal(6, restored.Items.Count);

        await Task.WhenAll(Enumerable.Range(3, 7).Select(i => after.Bus.Publish(new ItemCounted(id, $"item-{i}"))));

        var completed = await after.Events.WaitForAsync<CounterCompleted>(e => e.CounterId == id);
        Assert.Equal(10, Assert.Single(completed).Counted);
        var state = await after.WaitForStateAsync(id, s => s.CurrentState == "Done");
        Assert.Equal(10, state.Items.Count);
    }

    [Fact]
    public async Task A_finalized_instance_is_deleted()
    {
        await using var bus = await StartBusAsync(NewTable());
        var id = Guid.NewGuid();
        await bus.Bus.Publish(new CounterStarted(id, Expected: 1));
        await bus.WaitForStateAsync(id, s => s.CurrentState == "Counting");

        await bus.Bus.Publish(new CounterClosed(id));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await bus.Store.LoadAsync(id) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "The finalized instance was not deleted.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Query_based_correlation_faults_the_message_with_a_clear_reason()
    {
        await using var bus = await StartBusAsync(NewTable());

        await bus.Bus.Publish(new CounterLookedUp("anything"));

        var fault = Assert.Single(await bus.Events.WaitForAsync<Fault<CounterLookedUp>>(_ => true));
        var exception = Assert.Single(fault.Exceptions);
        Assert.Contains("query-based correlation (CorrelateBy) is not supported", exception.Message);
    }

    [Fact]
    public async Task Two_sweepers_publishing_for_one_due_instance_time_it_out_once()
    {
        await using var bus = await StartBusAsync(NewTable());
        var id = Guid.NewGuid();
        await bus.Bus.Publish(new CounterStarted(id, Expected: 5, Deadline: DateTime.UtcNow.AddSeconds(-1)));
        await bus.WaitForStateAsync(id, s => s.CurrentState == "Counting");
        var query = bus.Services.GetRequiredService<ISagaDeadlineQuery<CounterState>>();
        // Both sweepers must have found the instance before either publishes, or the first timeout could be handled
        // before the second sweeper looks and the test would not test duplicates at all.
        var found = 0;
        var bothFound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SagaDeadlineSweeper<CounterState> Sweeper() =>
            new(query, async (due, ct) =>
            {
                if (Interlocked.Increment(ref found) == 2)
                {
                    bothFound.SetResult();
                }
                await bothFound.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
                await bus.Bus.Publish(new CounterDeadlinePassed(due.CorrelationId), ct);
            });

        var published = await Task.WhenAll(Sweeper().SweepOnceAsync(), Sweeper().SweepOnceAsync());

        Assert.Equal([1, 1], published);
        await bus.Events.WaitForAsync<CounterTimedOut>(e => e.CounterId == id);
        var state = await bus.WaitForStateAsync(id, s => s.CurrentState == "TimedOut");
        await Task.Delay(300);
        Assert.Single(bus.Events.Of<CounterTimedOut>());
        Assert.Null(state.Deadline);
        Assert.Empty(await query.GetDueAsync(DateTime.UtcNow, 10));
        Assert.Equal(0, await new SagaDeadlineSweeper<CounterState>(query, (_, _) => Task.CompletedTask).SweepOnceAsync());
    }

    [Fact]
    public async Task The_deadline_watchdog_publishes_the_timeout_of_a_due_instance()
    {
        var table = NewTable();
        await using var bus = await CounterBus.StartAsync(saga => UseRepository(saga, table), extraServices: services =>
            services.AddSagaDeadlineWatchdog<CounterState>(
                (due, _, publish, ct) => publish.Publish(new CounterDeadlinePassed(due.CorrelationId), ct),
                (_, o) => o.Interval = TimeSpan.FromMilliseconds(100)));
        var id = Guid.NewGuid();

        await bus.Bus.Publish(new CounterStarted(id, Expected: 5, Deadline: DateTime.UtcNow.AddMilliseconds(300)));

        await bus.Events.WaitForAsync<CounterTimedOut>(e => e.CounterId == id);
        var state = await bus.WaitForStateAsync(id, s => s.CurrentState == "TimedOut");
        Assert.Null(state.Deadline);
    }

    [Fact]
    public async Task A_stale_update_or_delete_throws_ConcurrencyException_and_a_duplicate_insert_is_refused()
    {
        var store = CreateStore(NewTable());
        try
        {
            var id = Guid.NewGuid();
            Assert.True(await store.TryInsertAsync(new CounterState { CorrelationId = id, CurrentState = "Counting", Expected = 2 }));
            Assert.False(await store.TryInsertAsync(new CounterState { CorrelationId = id, Expected = 99 }));

            var mine = (await store.LoadAsync(id))!;
            var theirs = (await store.LoadAsync(id))!;
            mine.Items["a"] = new CountedItem("a", 1, ItemKind.Plain);
            await store.UpdateAsync(mine);
            Assert.Equal(2, mine.Version);

            theirs.Items["b"] = new CountedItem("b", 1, ItemKind.Plain);
            await Assert.ThrowsAsync<ConcurrencyException>(() => store.UpdateAsync(theirs));
            Assert.Equal(1, theirs.Version);
            await Assert.ThrowsAsync<ConcurrencyException>(() => store.DeleteAsync(theirs));

            var stored = (await store.LoadAsync(id))!;
            Assert.Equal(2, stored.Version);
            Assert.Equal(["a"], stored.Items.Keys);
            Assert.Equal(2, stored.Expected);

            await store.DeleteAsync(stored);
            Assert.Null(await store.LoadAsync(id));
            await Assert.ThrowsAsync<ConcurrencyException>(() => store.UpdateAsync(mine));
        }
        finally
        {
            await DisposeAsync(store);
        }
    }

    [Fact]
    public async Task An_update_writes_only_the_items_it_changed_whatever_the_number_stored()
    {
        var table = NewTable();
        var store = CreateStore(table);
        try
        {
            async Task<long> BytesOfOneItemUpdate(CounterState state, string key)
            {
                var before = store.StateBytesWritten;
                state.Items[key] = state.Items[key] with { Kind = ItemKind.Heavy };
                await store.UpdateAsync(state);
                return store.StateBytesWritten - before;
            }
            var small = new CounterState { CorrelationId = Guid.NewGuid(), CurrentState = "Counting", Expected = 10 };
            var large = new CounterState { CorrelationId = Guid.NewGuid(), CurrentState = "Counting", Expected = 2_000 };
            foreach (var state in new[] { small, large })
            {
                for (var i = 0; i < state.Expected; i++)
                {
                    state.Items[$"item-{i:D5}"] = new CountedItem($"item-{i:D5}", 1, ItemKind.Plain);
                }
                Assert.True(await store.TryInsertAsync(state));
            }

            var smallBytes = await BytesOfOneItemUpdate((await store.LoadAsync(small.CorrelationId))!, "item-00003");
            var largeBytes = await BytesOfOneItemUpdate((await store.LoadAsync(large.CorrelationId))!, "item-01234");

            Assert.InRange(smallBytes, 1, 1_000);
            Assert.InRange(largeBytes, smallBytes - 8, smallBytes + 8);
            var fresh = CreateStore(table);
            try
            {
                var reloaded = (await fresh.LoadAsync(large.CorrelationId))!;
                Assert.Equal(2_000, reloaded.Items.Count);
                Assert.Equal(ItemKind.Heavy, reloaded.Items["item-01234"].Kind);
                Assert.Single(reloaded.Items.Values, i => i.Kind == ItemKind.Heavy);
                Assert.Equal(2, reloaded.Version);
            }
            finally
            {
                await DisposeAsync(fresh);
            }
        }
        finally
        {
            await DisposeAsync(store);
        }
    }

    [Fact]
    public async Task A_stale_writer_with_items_changes_no_item_row()
    {
        var table = NewTable();
        var store = CreateStore(table);
        var other = CreateStore(table);
        try
        {
            var id = Guid.NewGuid();
            var state = new CounterState { CorrelationId = id, CurrentState = "Counting", Expected = 3 };
            state.Items["a"] = new CountedItem("a", 1, ItemKind.Plain);
            Assert.True(await store.TryInsertAsync(state));
            var mine = (await store.LoadAsync(id))!;
            var theirs = (await other.LoadAsync(id))!;

            theirs.Items["b"] = new CountedItem("b", 1, ItemKind.Plain);
            await other.UpdateAsync(theirs);
            mine.Items["a"] = new CountedItem("a", 5, ItemKind.Heavy);
            mine.Items["c"] = new CountedItem("c", 1, ItemKind.Plain);
            await Assert.ThrowsAsync<ConcurrencyException>(() => store.UpdateAsync(mine));

            // The loser's kept instance is gone, so it reads the winner's rows, untouched by the lost write.
            var stored = (await store.LoadAsync(id))!;
            Assert.Equal(2, stored.Version);
            Assert.Equal(["a", "b"], stored.Items.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(ItemKind.Plain, stored.Items["a"].Kind);
        }
        finally
        {
            await DisposeAsync(store);
            await DisposeAsync(other);
        }
    }

    [Fact]
    public async Task State_round_trips_through_json_without_derived_or_transient_members()
    {
        var table = NewTable();
        var store = CreateStore(table);
        // A second store, as after a restart: it has no saved instance to hand back, so it reads the rows.
        var fresh = CreateStore(table);
        try
        {
            var id = Guid.NewGuid();
            var deadline = new DateTime(2030, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
            var state = new CounterState
            {
                CorrelationId = id,
                CurrentState = "Counting",
                Name = "round-trip \u0000 \"quoted\" ünïcode",
                Deadline = deadline,
                ChangedByLastEvent = true,
            };
            state.Items["nan"] = new CountedItem("nan", double.NaN, ItemKind.Heavy);
            state.Items["inf"] = new CountedItem("inf", double.PositiveInfinity, ItemKind.Plain);
            Assert.True(await store.TryInsertAsync(state));

            var loaded = (await fresh.LoadAsync(id))!;

            Assert.Equal(1, loaded.Version);
            Assert.Equal(state.Name, loaded.Name);
            Assert.Equal(deadline, loaded.Deadline);
            Assert.Equal(DateTimeKind.Utc, loaded.Deadline!.Value.Kind);
            Assert.False(loaded.ChangedByLastEvent);
            Assert.Equal(state.Items["nan"], loaded.Items["nan"]);
            Assert.Equal(state.Items["inf"], loaded.Items["inf"]);
            Assert.Equal(2, loaded.Counted);
        }
        finally
        {
            await DisposeAsync(store);
            await DisposeAsync(fresh);
        }
    }

    [Fact]
    public async Task Due_deadlines_are_found_earliest_first_up_to_the_limit()
    {
        var store = CreateStore(NewTable());
        try
        {
            var now = new DateTime(2030, 6, 1, 12, 0, 0, DateTimeKind.Utc);
            var early = new CounterState { CorrelationId = Guid.NewGuid(), Deadline = now.AddMinutes(-3) };
            var late = new CounterState { CorrelationId = Guid.NewGuid(), Deadline = now.AddMinutes(-1) };
            var exact = new CounterState { CorrelationId = Guid.NewGuid(), Deadline = now };
            var future = new CounterState { CorrelationId = Guid.NewGuid(), Deadline = now.AddHours(1) };
            var none = new CounterState { CorrelationId = Guid.NewGuid() };
            foreach (var s in new[] { late, future, none, exact, early })
            {
                Assert.True(await store.TryInsertAsync(s));
            }

            var due = await store.GetDueAsync(now, 10);
            Assert.Equal([early.CorrelationId, late.CorrelationId, exact.CorrelationId], due.Select(d => d.CorrelationId));
            Assert.Equal(early.Deadline, due[0].Deadline);
            Assert.Equal([early.CorrelationId], (await store.GetDueAsync(now, 1)).Select(d => d.CorrelationId));

            // Clearing the deadline (what the saga does when it times out) takes the instance off the list.
            var handled = (await store.LoadAsync(early.CorrelationId))!;
            handled.Deadline = null;
            await store.UpdateAsync(handled);
            Assert.Equal([late.CorrelationId, exact.CorrelationId], (await store.GetDueAsync(now, 10)).Select(d => d.CorrelationId));
        }
        finally
        {
            await DisposeAsync(store);
        }
    }

    private static async ValueTask DisposeAsync(ISagaStore<CounterState> store)
    {
        switch (store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
