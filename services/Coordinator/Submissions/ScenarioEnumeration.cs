using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Scenarios;

namespace NuPlanBus.Coordinator.Submissions;

/// <summary>Enumerates the scenarios of a submission once, from a log database file or a directory of them.</summary>
public static class ScenarioEnumeration
{
    public static IReadOnlyList<ScenarioDescriptor> Enumerate(string datasetLocation, ScenarioFilterSpec spec)
    {
        if (string.IsNullOrWhiteSpace(datasetLocation))
        {
            throw new ConfigurationException("No dataset location given.");
        }
        var full = Path.GetFullPath(datasetLocation);
        var filter = ToFilter(spec);
        IReadOnlyList<ScenarioReference> scenarios;
        if (Directory.Exists(full))
        {
            var logs = ScenarioCatalog.DiscoverLogs(full);
            if (logs.Count == 0)
            {
                throw new ScenarioDataException(full, "the directory holds no nuPlan log database (*.db)");
            }
            scenarios = ScenarioCatalog.Build(logs, filter);
        }
        else if (File.Exists(full))
        {
            scenarios = ScenarioCatalog.Build([full], filter);
        }
        else
        {
            throw new ScenarioDataException(full, "no such file or directory");
        }
        if (scenarios.Count == 0)
        {
            throw new UserInputException($"No scenario in {full} matches the scenario filter.");
        }
        return scenarios.Select(Describe).ToList();
    }

    /// <summary>The scenario filter a submission's filter spec describes.</summary>
    public static ScenarioFilter ToFilter(ScenarioFilterSpec spec) => new()
    {
        ScenarioTypes = spec.ScenarioTypes,
        ScenarioTokens = spec.ScenarioTokens,
        LogNames = spec.LogNames,
        MapNames = spec.MapNames,
        NumScenariosPerType = spec.NumScenariosPerType,
        LimitTotalScenarios = spec.LimitTotalScenarios,
        TimestampThresholdS = spec.TimestampThresholdS,
        RemoveInvalidGoals = spec.RemoveInvalidGoals,
        Shuffle = spec.Shuffle,
        Seed = spec.Seed,
    };

    public static ScenarioDescriptor Describe(ScenarioReference scenario) => new()
    {
        ScenarioId = scenario.ScenarioId,
        LogPath = scenario.LogPath,
        LogName = scenario.LogName,
        Token = scenario.Token,
        ScenarioType = scenario.ScenarioType,
        MapName = scenario.MapName,
        AnchorTimestampUs = scenario.TimestampUs,
    };
}
