using System.Text.Json.Serialization;
using MassTransit;
using NuPlanBus.Persistence;
using NuPlanBus.Persistence.Sagas;

namespace NuPlanBus.Persistence.Tests.Support;

// A small saga shaped like the run saga: created with an expected set size, counts items into a map keyed by id
// (so duplicates never count twice), completes exactly once, can time out through a deadline, and can be finalised.

public sealed record CounterStarted(Guid CounterId, int Expected, DateTime? Deadline = null);

public sealed record ItemCounted(Guid CounterId, string ItemId, double Weight = 1.0);

public sealed record CounterClosed(Guid CounterId);

public sealed record CounterDeadlinePassed(Guid CounterId);

/// <summary>Correlated by an expression, which the store does not support.</summary>
public sealed record CounterLookedUp(string Name);

public sealed record CounterOpened(Guid CounterId);

public sealed record CounterCompleted(Guid CounterId, int Counted);

public sealed record CounterTimedOut(Guid CounterId, int Counted);

public sealed record CountedItem(string ItemId, double Weight, ItemKind Kind);

public enum ItemKind
{
    Plain,
    Heavy,
}

/// <summary>
/// Its counted items are stored one row each (<see cref="ISagaItems"/>), as the run saga's scenarios are, so the
/// store contract covers item rows under concurrency, duplicates and restarts. Changes are found by comparing each
/// item's JSON with what was last loaded or saved, so tests may edit <see cref="Items"/> directly.
/// </summary>
public sealed class CounterState : SagaStateMachineInstance, ISagaVersion, ISagaDeadline, ISagaItems
{
    private readonly Dictionary<string, string> _stored = new(StringComparer.Ordinal);

    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    public string Name { get; set; } = "";

    public int Expected { get; set; }

    public DateTime? Deadline { get; set; }

    [JsonIgnore]
    public Dictionary<string, CountedItem> Items { get; } = new(StringComparer.Ordinal);

    /// <summary>Derived; the store must not need a setter for it.</summary>
    public int Counted => Items.Count;

    /// <summary>Transient, like the run saga's flag: never stored.</summary>
    [JsonIgnore]
    public bool ChangedByLastEvent { get; set; }

    public IReadOnlyList<SagaItem> TakeChangedItems(System.Text.Json.JsonSerializerOptions json)
    {
        var changed = new List<SagaItem>();
        foreach (var (key, item) in Items)
        {
            var text = System.Text.Json.JsonSerializer.Serialize(item, json);
            if (!_stored.TryGetValue(key, out var stored) || stored != text)
            {
                changed.Add(new SagaItem(key, text));
                _stored[key] = text;
            }
        }
        return changed;
    }

    public void RestoreItems(IReadOnlyList<SagaItem> items, System.Text.Json.JsonSerializerOptions json)
    {
        foreach (var item in items)
        {
            Items[item.Key] = System.Text.Json.JsonSerializer.Deserialize<CountedItem>(item.Json, json)!;
            _stored[item.Key] = item.Json;
        }
    }
}

public sealed class CounterStateMachine : MassTransitStateMachine<CounterState>
{
    public CounterStateMachine()
    {
        InstanceState(x => x.CurrentState);

        Event(() => Started, e => e.CorrelateById(m => m.Message.CounterId));
        Event(() => Counted, e =>
        {
            e.CorrelateById(m => m.Message.CounterId);
            e.OnMissingInstance(m => m.Fault());
        });
        Event(() => Closed, e => e.CorrelateById(m => m.Message.CounterId));
        Event(() => DeadlinePassed, e =>
        {
            e.CorrelateById(m => m.Message.CounterId);
            e.OnMissingInstance(m => m.Discard());
        });
        Event(() => LookedUp, e => e.CorrelateBy((saga, m) => saga.Name == m.Message.Name));

        Initially(
            When(Started)
                .Then(ctx =>
                {
                    ctx.Saga.Expected = ctx.Message.Expected;
                    ctx.Saga.Deadline = ctx.Message.Deadline;
                    ctx.Saga.Name = $"counter-{ctx.Message.CounterId:N}";
                })
                .Publish(ctx => new CounterOpened(ctx.Saga.CorrelationId))
                .TransitionTo(Counting));

        During(Counting,
            Ignore(Started),
            When(Counted)
                .Then(ctx => ctx.Saga.ChangedByLastEvent = ctx.Saga.Items.TryAdd(ctx.Message.ItemId,
                    new CountedItem(ctx.Message.ItemId, ctx.Message.Weight, ctx.Message.Weight > 1 ? ItemKind.Heavy : ItemKind.Plain)))
                .If(ctx => ctx.Saga.Items.Count >= ctx.Saga.Expected, done => done
                    .Then(ctx => ctx.Saga.Deadline = null)
                    .Publish(ctx => new CounterCompleted(ctx.Saga.CorrelationId, ctx.Saga.Items.Count))
                    .TransitionTo(Done)),
            When(DeadlinePassed)
                .Then(ctx => ctx.Saga.Deadline = null)
                .Publish(ctx => new CounterTimedOut(ctx.Saga.CorrelationId, ctx.Saga.Items.Count))
                .TransitionTo(TimedOut));

        During(Done,
            Ignore(Started),
            Ignore(Counted),
            Ignore(DeadlinePassed));

        During(TimedOut,
            Ignore(Started),
            Ignore(Counted),
            Ignore(DeadlinePassed));

        DuringAny(When(Closed).Finalize());

        SetCompletedWhenFinalized();
    }

    public State Counting { get; private set; } = null!;

    public State Done { get; private set; } = null!;

    public State TimedOut { get; private set; } = null!;

    public Event<CounterStarted> Started { get; private set; } = null!;

    public Event<ItemCounted> Counted { get; private set; } = null!;

    public Event<CounterClosed> Closed { get; private set; } = null!;

    public Event<CounterDeadlinePassed> DeadlinePassed { get; private set; } = null!;

    public Event<CounterLookedUp> LookedUp { get; private set; } = null!;
}

/// <summary>Test knobs for the saga endpoint, resolved by the definition from the container.</summary>
public sealed class CounterEndpointSettings
{
    public int ConcurrentMessageLimit { get; init; } = 32;

    public int RetryLimit { get; init; } = 10;
}

public sealed class CounterStateDefinition : PersistentSagaDefinition<CounterState>
{
    public CounterStateDefinition(CounterEndpointSettings settings)
    {
        ConcurrentMessageLimit = settings.ConcurrentMessageLimit;
        Retry.RetryLimit = settings.RetryLimit;
    }
}
