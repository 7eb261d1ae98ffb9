using NuPlanBus.Contracts;
using NuPlanBus.Scenarios;

namespace NuPlanBus.Coordinator.Submissions;

/// <summary>The scenario filter a submission's filter spec describes.</summary>
public static class ScenarioEnumeration
{
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
}
