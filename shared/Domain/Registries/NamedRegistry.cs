using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Domain.Registries;

/// <summary>
/// Things looked up by configuration name (planners, controllers, observations, metrics, metric sets): an empty or
/// duplicate name fails when it is added, an unknown one on lookup, each with a <see cref="ConfigurationException"/>
/// that lists the known names in registration order.
/// </summary>
public sealed class NamedRegistry<T>
    where T : notnull
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    /// <summary>An empty registry; <paramref name="kind"/> names its entries in error messages ("metric", …).</summary>
    public NamedRegistry(string kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        Kind = kind;
    }

    public NamedRegistry(IEnumerable<T> items, Func<T, string> nameSelector, string? kind = null)
        : this(kind ?? typeof(T).Name)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(nameSelector);
        foreach (var item in items)
        {
            Add(nameSelector(item), item);
        }
    }

    public string Kind { get; }

    /// <summary>The registered names in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The known names for an error message: comma-separated, or "none".</summary>
    public string KnownNames => _names.Count == 0 ? "none" : string.Join(", ", _names);

    public NamedRegistry<T> Add(string name, T item)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ConfigurationException($"A {Kind} has an empty name.");
        }
        if (!_items.TryAdd(name, item))
        {
            throw new ConfigurationException($"Duplicate {Kind} name '{name}'. Known names: {KnownNames}.");
        }
        _names.Add(name);
        return this;
    }

    public bool Contains(string name) => _items.ContainsKey(name);

    public bool TryGet(string name, out T item) => _items.TryGetValue(name, out item!);

    public T Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _items.TryGetValue(name, out var item)
            ? item
            : throw new ConfigurationException($"Unknown {Kind} '{name}'. Known names: {KnownNames}.");
    }
}
