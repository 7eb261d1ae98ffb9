using System.Text.Json;
using System.Text.Json.Serialization;
using NuPlanBus.Persistence.Stores;

namespace NuPlanBus.Persistence;

/// <summary>Per saga type settings of a persistent repository that only code can give (serialisation, table).</summary>
public sealed class PersistentSagaOptions<TState>
    where TState : class, MassTransit.ISagaVersion
{
    /// <summary>The table name; defaults to the state type's name in snake case.</summary>
    public string Table { get; set; } = SagaTableName.For<TState>();

    /// <summary>
    /// How the state is written as JSON. The defaults keep computed (get-only) properties out of the row, write enums by
    /// name so reordering an enum does not change stored meaning, and accept NaN and infinities (metric scores can be NaN).
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = CreateDefaultSerializerOptions();

    /// <summary>
    /// Reads the text stored in the <c>current_state</c> column (for queries and operators only; the state itself is in
    /// the JSON). Defaults to a public string <c>CurrentState</c> property when the state type has one.
    /// </summary>
    public Func<TState, string?>? CurrentState { get; set; } = SagaStateSerializer<TState>.DefaultCurrentStateAccessor();

    /// <summary>
    /// Whether the repository lets only one message per instance run at a time inside this process. MassTransit's
    /// partitioners run before the message is correlated, so per-instance ordering is done here; across processes the
    /// version check plus <see cref="Sagas.SagaEndpointExtensions.UsePersistentSagaDefaults"/> retries resolve conflicts.
    /// </summary>
    public bool SerializePerInstance { get; set; } = true;

    public static JsonSerializerOptions CreateDefaultSerializerOptions() => new(JsonSerializerDefaults.General)
    {
        IgnoreReadOnlyProperties = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
