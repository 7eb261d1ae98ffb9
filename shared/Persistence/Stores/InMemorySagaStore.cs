using MassTransit;
using NuPlanBus.Persistence.Deadlines;

namespace NuPlanBus.Persistence.Stores;

/// <summary>
/// A process-local store with the same semantics as the SQL ones (JSON round trip, version check, deadline query), so
/// tests that pick <see cref="SagaStoreProvider.InMemory"/> exercise the serialisation the real stores use.
/// Not for production: nothing survives the process.
/// </summary>
public sealed class InMemorySagaStore<TState> : ISagaStore<TState>
    where TState : class, ISagaVersion
{
    private readonly Dictionary<Guid, Row> _rows = [];
    private readonly Lock _gate = new();
    private readonly SagaStateSerializer<TState> _serializer;
    private long _stateBytesWritten;

    public InMemorySagaStore(PersistentSagaOptions<TState>? options = null)
    {
        options ??= new PersistentSagaOptions<TState>();
        Table = SagaTableName.Validate(options.Table);
        _serializer = new SagaStateSerializer<TState>(options);
    }

    public string Provider => "in-memory";

    public string Table { get; }

    public long StateBytesWritten => Interlocked.Read(ref _stateBytesWritten);

    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<TState?> LoadAsync(Guid correlationId, CancellationToken cancellationToken = default)
    {
        Row? row;
        lock (_gate)
        {
            _rows.TryGetValue(correlationId, out row);
        }
        return Task.FromResult(row is null ? null : _serializer.Deserialize(correlationId, row.Version, row.Json, [.. row.Items.Values]));
    }

    public Task<bool> TryInsertAsync(TState instance, CancellationToken cancellationToken = default)
    {
        var previous = instance.Version;
        instance.Version = 1;
        var row = ToRow(instance, previous: null);
        lock (_gate)
        {
            if (_rows.TryAdd(instance.CorrelationId, row))
            {
                return Task.FromResult(true);
            }
        }
        instance.Version = previous;
        return Task.FromResult(false);
    }

    public Task UpdateAsync(TState instance, CancellationToken cancellationToken = default)
    {
        var expected = instance.Version;
        instance.Version = expected + 1;
        var json = _serializer.Serialize(instance);
        var items = _serializer.TakeChangedItems(instance);
        lock (_gate)
        {
            if (_rows.TryGetValue(instance.CorrelationId, out var stored) && stored.Version == expected)
            {
                _rows[instance.CorrelationId] = Row.Of(instance, json, items, stored.Items, ref _stateBytesWritten);
                return Task.CompletedTask;
            }
        }
        instance.Version = expected;
        return Task.FromException(Conflict(instance, expected));
    }

    public Task DeleteAsync(TState instance, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_rows.TryGetValue(instance.CorrelationId, out var stored) && stored.Version == instance.Version)
            {
                _rows.Remove(instance.CorrelationId);
                return Task.CompletedTask;
            }
        }
        return Task.FromException(Conflict(instance, instance.Version));
    }

    public Task<IReadOnlyList<DueSaga>> GetDueAsync(DateTime now, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var utcNow = SagaStateSerializer<TState>.ToUtc(now);
        lock (_gate)
        {
            IReadOnlyList<DueSaga> due = _rows
                .Where(r => r.Value.Deadline is { } d && d <= utcNow)
                .Select(r => new DueSaga(r.Key, r.Value.Deadline!.Value))
                .OrderBy(d => d.Deadline)
                .Take(limit)
                .ToList();
            return Task.FromResult(due);
        }
    }

    private Row ToRow(TState instance, Dictionary<string, SagaItem>? previous) =>
        Row.Of(instance, _serializer.Serialize(instance), _serializer.TakeChangedItems(instance), previous, ref _stateBytesWritten);

    private ConcurrencyException Conflict(TState instance, int expected) =>
        new($"Saga version conflict in {Table}: version {expected} was changed or deleted by another writer",
            typeof(TState), instance.CorrelationId);

    /// <summary>An instance's JSON and, for a state with items, its item rows (a new dictionary per version).</summary>
    private sealed record Row(int Version, string Json, DateTime? Deadline, Dictionary<string, SagaItem> Items)
    {
        public static Row Of(TState instance, string json, IReadOnlyList<SagaItem> changed, Dictionary<string, SagaItem>? previous, ref long written)
        {
            Interlocked.Add(ref written, json.Length + changed.Sum(i => (long)i.Key.Length + i.Json.Length));
            var items = previous is null ? new Dictionary<string, SagaItem>(StringComparer.Ordinal) : new Dictionary<string, SagaItem>(previous, StringComparer.Ordinal);
            foreach (var item in changed)
            {
                items[item.Key] = item;
            }
            return new Row(instance.Version, json, SagaStateSerializer<TState>.Deadline(instance), items);
        }
    }
}
