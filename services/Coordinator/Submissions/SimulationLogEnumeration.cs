using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Coordinator.Submissions;

/// <summary>The scenarios of a metric run, found in a tree of stored simulation logs.</summary>
/// <param name="Scenarios">One per log, ordered by path.</param>
/// <param name="Ignored">Files with the log extension outside the devkit's layout (their names), which are not scenarios.</param>
public sealed record SimulationLogSet(IReadOnlyList<ScenarioDescriptor> Scenarios, IReadOnlyList<string> Ignored);

/// <summary>
/// Finds simulation logs the way the devkit's metric run walks them —
/// <c>&lt;planner&gt;/&lt;scenario type&gt;/&lt;log&gt;/&lt;scenario&gt;/&lt;scenario&gt;.msgpack.zst</c> under the location, or under
/// its <c>simulation_log</c> directory when it is a run directory — from the paths alone: no log is opened here, so a
/// truncated or foreign file fails only its own scenario when the MetricWorker reads it.
/// </summary>
public static class SimulationLogEnumeration
{
    public static async Task<SimulationLogSet> EnumerateAsync(IStorage storage, string location, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new ConfigurationException("No simulation log location given.");
        }
        var root = StoragePath.Parse(location);
        if (!await storage.ExistsAsync(root, includeDirectories: true, cancellationToken))
        {
            throw new UserInputException($"Simulation log location '{root}' does not exist.");
        }
        var nested = root / RunLayout.SimulationLogDirectoryName;
        if (await storage.ExistsAsync(nested, includeDirectories: true, cancellationToken))
        {
            root = nested;
        }

        var scenarios = new List<ScenarioDescriptor>();
        var ignored = new List<string>();
        var files = new List<StoragePath>();
        await foreach (var file in storage.ListAsync(root, recursive: true, RunLayout.SimulationLogExtension, cancellationToken))
        {
            files.Add(file);
        }
        files.Sort();
        foreach (var file in files)
        {
            if (!RunLayout.TryParseSimulationLog(file.RelativeTo(root), out var place))
            {
                ignored.Add(file.Value);
                continue;
            }
            scenarios.Add(new ScenarioDescriptor
            {
                // A metric run may hold several planners' logs of the same scenario: the planner is part of the identity.
                ScenarioId = $"{place.PlannerName}/{place.LogName}/{place.ScenarioName}",
                LogPath = file.Value,
                LogName = place.LogName,
                Token = place.ScenarioName,
                ScenarioType = place.ScenarioType,
                MapName = "",
                AnchorTimestampUs = 0,
                SimulationLogPath = file.Value,
                PlannerName = place.PlannerName,
            });
        }
        if (scenarios.Count == 0)
        {
            throw new UserInputException(
                $"No simulation log under '{root}' in the layout <planner>/<scenario type>/<log>/<scenario>/<scenario>{RunLayout.SimulationLogExtension}" +
                (ignored.Count > 0 ? $" ({ignored.Count} log files elsewhere were ignored)." : "."));
        }
        return new SimulationLogSet(scenarios, ignored);
    }
}
