using System.Collections.Concurrent;

namespace NuPlanBus.Common.Helpers;

/// <summary>
/// Small incremental integer ids for tracked-object tokens (the devkit's <c>get_unique_incremental_track_id</c>),
/// kept per scope (a scenario, a run) instead of per process: the first distinct token of a scope gets 0, the next
/// 1, and asking again returns the original id. Thread-safe; ids within a scope are dense and never duplicated.
/// </summary>
public sealed class TrackIdRegistry
{
    private readonly ConcurrentDictionary<string, TrackIdScope> _scopes = new(StringComparer.Ordinal);

    /// <summary>The id of <paramref name="trackToken"/> within <paramref name="scope"/>.</summary>
    public int GetId(string scope, string trackToken) => Scope(scope).GetId(trackToken);

    /// <summary>The scope of that name, created empty on first use.</summary>
    public TrackIdScope Scope(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return _scopes.GetOrAdd(scope, static _ => new TrackIdScope());
    }

    /// <summary>Forgets a scope: its tokens are numbered from 0 again. Returns whether it existed.</summary>
    /// <remarks>A caller still holding the old <see cref="TrackIdScope"/> keeps using the old numbering.</remarks>
    public bool Reset(string scope) => _scopes.TryRemove(scope, out _);

    /// <summary>Forgets every scope.</summary>
    public void Clear() => _scopes.Clear();

    /// <summary>Number of live scopes.</summary>
    public int ScopeCount => _scopes.Count;
}

/// <summary>Incremental ids for the tokens of one scope.</summary>
public sealed class TrackIdScope
{
    private readonly ConcurrentDictionary<string, Lazy<int>> _ids = new(StringComparer.Ordinal);
    private int _last = -1;

    /// <summary>The id of <paramref name="trackToken"/>: assigned on first sight, stable afterwards.</summary>
    public int GetId(string trackToken)
    {
        ArgumentNullException.ThrowIfNull(trackToken);
        // GetOrAdd may build several Lazy instances under a race, but only the stored one is ever evaluated,
        // so every id is taken exactly once and the sequence has no gaps.
        return _ids.GetOrAdd(
            trackToken,
            _ => new Lazy<int>(() => Interlocked.Increment(ref _last), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>Number of distinct tokens seen.</summary>
    public int Count => _ids.Count;
}
