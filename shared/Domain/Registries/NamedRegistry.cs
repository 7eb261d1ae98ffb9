using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Simulation.Components;

/// <summary>Components looked up by configuration name: a duplicate name fails at construction, an unknown one on lookup.</summary>
public sealed class NamedRegistry<T>
    where T : notnull
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public NamedRegistry(IEnumerable<T> items, Func<T, string> nameSelector)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(nameSelector);
        foreach (var item in items)
        {
            var name = nameSelector(item);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ConfigurationException($"A {typeof(T).Name} has an empty name.");
            }
            if (!_items.TryAdd(name, item))
            {
                throw new ConfigurationException($"Duplicate {typeof(T).Name} name '{name}'.");
            }
            _names.Add(name);
        }
    }

    /// <summary>The registered names in registration order.</summary>
    public IReadOnlyList<string> Names => _names;

    public bool Contains(string name) => _items.ContainsKey(name);

    public bool TryGet(string name, out T item) => _items.TryGetValue(name, out item!);

    public T Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_items.TryGetValue(name, out var item))
        {
            return item;
        }
        var known = _names.Count == 0 ? "none" : string.Join(", ", _names);
        throw new ConfigurationException($"Unknown {typeof(T).Name} '{name}'. Known names: {known}.");
    }
}
