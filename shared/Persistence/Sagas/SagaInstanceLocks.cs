namespace NuPlanBus.Persistence.Sagas;

/// <summary>
/// One async lock per saga instance (not striped, so unrelated instances never wait on each other), created on demand
/// and dropped when no message holds or waits for it. Held from load to save, it makes concurrent messages for one
/// instance in this process take turns instead of racing to a version conflict.
/// </summary>
public sealed class SagaInstanceLocks<TState>
{
    private readonly Dictionary<Guid, Entry> _entries = [];
    private readonly Lock _gate = new();

    /// <summary>How many instances currently have a lock (held or awaited); for tests and probes.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public async ValueTask<IAsyncDisposable> AcquireAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(correlationId, out entry!))
            {
                entry = new Entry();
                _entries.Add(correlationId, entry);
            }
            entry.Users++;
        }
        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(correlationId, entry);
            throw;
        }
        return new Holder(this, correlationId, entry);
    }

    private void Leave(Guid correlationId, Entry entry)
    {
        lock (_gate)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(correlationId);
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Holder(SagaInstanceLocks<TState> owner, Guid correlationId, Entry entry) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                entry.Semaphore.Release();
                owner.Leave(correlationId, entry);
            }
            return ValueTask.CompletedTask;
        }
    }
}
