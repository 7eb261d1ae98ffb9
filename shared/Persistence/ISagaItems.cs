using System.Text.Json;

namespace NuPlanBus.Persistence;

/// <summary>
/// A saga state whose bulk is a keyed set of items (a run's scenarios and partitions), stored one row per item beside the
/// instance's own row. A save writes the instance row and only the items changed since the last load or save, so the
/// cost of an event does not grow with the number of items. The state's own JSON must leave the items out.
/// </summary>
public interface ISagaItems
{
    /// <summary>The items changed (or added) since the instance was loaded or last saved, as JSON; clears the change set.</summary>
    IReadOnlyList<SagaItem> TakeChangedItems(JsonSerializerOptions json);

    /// <summary>Rebuilds the items (and any index over them) of a freshly deserialized instance from all its stored rows.</summary>
    void RestoreItems(IReadOnlyList<SagaItem> items, JsonSerializerOptions json);
}

/// <summary>One stored item of an <see cref="ISagaItems"/> state: its key, unique within the instance, and its JSON.</summary>
public readonly record struct SagaItem(string Key, string Json);
