using System.Reflection;
using System.Text.Json;
using MassTransit;

namespace NuPlanBus.Persistence.Stores;

/// <summary>Turns a saga state into the row's JSON and indexed columns, and back.</summary>
public sealed class SagaStateSerializer<TState>(PersistentSagaOptions<TState> options)
    where TState : class, ISagaVersion
{
    private readonly JsonSerializerOptions _json = options.SerializerOptions;
    private readonly Func<TState, string?>? _currentState = options.CurrentState;

    public string Serialize(TState instance) => JsonSerializer.Serialize(instance, _json);

    /// <summary>The items an <see cref="ISagaItems"/> instance changed since its last load or save; none for other states.</summary>
    public IReadOnlyList<SagaItem> TakeChangedItems(TState instance) =>
        instance is ISagaItems items ? items.TakeChangedItems(_json) : [];

    /// <param name="items">The instance's item rows, read in the same snapshot as <paramref name="json"/>; ignored unless the state has items.</param>
    public TState Deserialize(Guid correlationId, int version, string json, IReadOnlyList<SagaItem>? items = null)
    {
        var instance = JsonSerializer.Deserialize<TState>(json, _json)
            ?? throw new SagaException("The stored saga state is null", typeof(TState), correlationId);
        // The columns are the truth: the JSON copy of these is written before the version is bumped.
        instance.CorrelationId = correlationId;
        instance.Version = version;
        if (instance is ISagaItems withItems)
        {
            withItems.RestoreItems(items ?? [], _json);
        }
        return instance;
    }

    /// <summary>Whether instances of the state keep their items in rows of their own.</summary>
    public static bool HasItems => typeof(ISagaItems).IsAssignableFrom(typeof(TState));

    public string? CurrentState(TState instance) => _currentState?.Invoke(instance);

    /// <summary>The deadline in UTC, or null.</summary>
    public static DateTime? Deadline(TState instance) =>
        instance is ISagaDeadline { Deadline: { } deadline } ? ToUtc(deadline) : null;

    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    internal static Func<TState, string?>? DefaultCurrentStateAccessor()
    {
        var property = typeof(TState).GetProperty("CurrentState", BindingFlags.Public | BindingFlags.Instance);
        if (property is null || property.PropertyType != typeof(string) || property.GetMethod is null)
        {
            return null;
        }
        var getter = property.GetMethod.CreateDelegate<Func<TState, string?>>();
        return getter;
    }
}
