using System.Collections.Concurrent;

namespace NuPlanBus.Common.Storage;

/// <summary>
/// Receives storage events so a service can export them (e.g. to Prometheus). Called concurrently; implementations
/// must be thread-safe and cheap. <paramref name="backend"/> is "local" or "s3".
/// </summary>
public interface IStorageMetrics
{
    /// <summary>One logical operation finished (after all its attempts).</summary>
    void OperationCompleted(string backend, StorageOperation operation, bool succeeded, TimeSpan duration);

    /// <summary>An attempt failed with a transient error and another attempt follows after <paramref name="delay"/>.</summary>
    void RetryScheduled(string backend, StorageOperation operation, int attemptNumber, TimeSpan delay, Exception? error);

    /// <summary>The circuit breaker opened (<paramref name="open"/>) or closed again.</summary>
    void CircuitStateChanged(string backend, bool open);
}

/// <summary>The default: records nothing.</summary>
public sealed class NullStorageMetrics : IStorageMetrics
{
    public static readonly NullStorageMetrics Instance = new();

    private NullStorageMetrics()
    {
    }

    public void OperationCompleted(string backend, StorageOperation operation, bool succeeded, TimeSpan duration)
    {
    }

    public void RetryScheduled(string backend, StorageOperation operation, int attemptNumber, TimeSpan delay, Exception? error)
    {
    }

    public void CircuitStateChanged(string backend, bool open)
    {
    }
}

/// <summary>Thread-safe in-memory counters; a ready source for an exporter and what the tests assert on.</summary>
public sealed class CountingStorageMetrics : IStorageMetrics
{
    private readonly ConcurrentDictionary<(string Backend, StorageOperation Operation, bool Succeeded), long> _operations = new();
    private readonly ConcurrentDictionary<(string Backend, StorageOperation Operation), long> _retries = new();
    private long _circuitOpenings;

    public long CircuitOpenings => Interlocked.Read(ref _circuitOpenings);

    public long Operations(StorageOperation operation, bool? succeeded = null) =>
        _operations.Where(p => p.Key.Operation == operation && (succeeded is null || p.Key.Succeeded == succeeded)).Sum(p => p.Value);

    public long Retries(StorageOperation? operation = null) =>
        _retries.Where(p => operation is null || p.Key.Operation == operation).Sum(p => p.Value);

    /// <summary>Snapshot for exporters: (backend, operation, succeeded) → count.</summary>
    public IReadOnlyDictionary<(string Backend, StorageOperation Operation, bool Succeeded), long> OperationCounts => new Dictionary<(string, StorageOperation, bool), long>(_operations);

    /// <summary>Snapshot for exporters: (backend, operation) → retries.</summary>
    public IReadOnlyDictionary<(string Backend, StorageOperation Operation), long> RetryCounts => new Dictionary<(string, StorageOperation), long>(_retries);

    public void OperationCompleted(string backend, StorageOperation operation, bool succeeded, TimeSpan duration) =>
        _operations.AddOrUpdate((backend, operation, succeeded), 1, (_, count) => count + 1);

    public void RetryScheduled(string backend, StorageOperation operation, int attemptNumber, TimeSpan delay, Exception? error) =>
        _retries.AddOrUpdate((backend, operation), 1, (_, count) => count + 1);

    public void CircuitStateChanged(string backend, bool open)
    {
        if (open)
        {
            Interlocked.Increment(ref _circuitOpenings);
        }
    }
}
