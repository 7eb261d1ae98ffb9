using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Scenarios;

namespace NuPlanBus.SimWorker;

/// <summary>
/// Loads the scenarios of one partition in the order they are simulated. Each run of consecutive scenarios of one log
/// (up to <see cref="GroupSize"/>) is loaded together by <see cref="NuPlanLogDatabase.LoadScenarios"/>, so scenarios
/// whose windows overlap read their shared rows once; at most one group is held in memory, and the log databases stay
/// open until the partition ends. A group that cannot be loaded at all (its log cannot be fetched or opened) fails
/// each of its scenarios with that error.
/// </summary>
public sealed class PartitionScenarioLoader(IReadOnlyList<ScenarioDescriptor> scenarios, LogDatabaseCache logDatabases) : IDisposable
{
    /// <summary>Scenarios loaded together: enough to share most rows of a dense sweep, few enough to bound memory.</summary>
    public const int GroupSize = 16;

    private readonly Dictionary<string, NuPlanLogDatabase> _open = new(StringComparer.Ordinal);
    private readonly ScenarioLoad[] _loads = new ScenarioLoad[scenarios.Count];
    private int _loadedUntil;

    /// <summary>The scenario at <paramref name="index"/>; indexes are asked for in increasing order, each once.</summary>
    public async Task<ScenarioLoad> LoadAsync(int index, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, scenarios.Count);
        if (index >= _loadedUntil)
        {
            await LoadGroupAsync(index, cancellationToken);
        }
        var load = _loads[index];
        _loads[index] = default;
        return load;
    }

    private async Task LoadGroupAsync(int first, CancellationToken cancellationToken)
    {
        var logPath = scenarios[first].LogPath;
        var end = first + 1;
        while (end < scenarios.Count && end - first < GroupSize && string.Equals(scenarios[end].LogPath, logPath, StringComparison.Ordinal))
        {
            end++;
        }
        _loadedUntil = end;
        try
        {
            // A log on S3 is opened from the local cache (downloaded once per version); a local log in place.
            var localLog = await logDatabases.GetLocalPathAsync(StoragePath.Parse(logPath), cancellationToken);
            if (!_open.TryGetValue(localLog, out var database))
            {
                database = NuPlanLogDatabase.Open(localLog);
                _open[localLog] = database;
            }
            var references = new ScenarioReference[end - first];
            for (var i = 0; i < references.Length; i++)
            {
                references[i] = scenarios[first + i].ToReference(localLog);
            }
            var loads = database.LoadScenarios(references);
            for (var i = 0; i < references.Length; i++)
            {
                _loads[first + i] = loads[i];
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            for (var i = first; i < end; i++)
            {
                _loads[i] = ScenarioLoad.Failed(ex);
            }
        }
    }

    public void Dispose()
    {
        foreach (var database in _open.Values)
        {
            database.Dispose();
        }
        _open.Clear();
    }
}
