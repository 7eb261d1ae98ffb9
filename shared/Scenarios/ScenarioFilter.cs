using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Scenarios;

/// <summary>
/// nuPlan's scenario filter (docs/nuplan-simulation.md §2.4), the subset that needs no map or expert trajectory.
/// Empty lists and null values disable a step.
/// </summary>
public sealed record ScenarioFilter
{
    public IReadOnlyList<string> ScenarioTypes { get; init; } = [];

    /// <summary>Anchor tokens, 16 hex characters each.</summary>
    public IReadOnlyList<string> ScenarioTokens { get; init; } = [];

    /// <summary>Log file stems; applied before any file is opened.</summary>
    public IReadOnlyList<string> LogNames { get; init; } = [];

    public IReadOnlyList<string> MapNames { get; init; } = [];

    /// <summary>Per-type cap (≥ 1): equisampled, or a random sample when <see cref="Shuffle"/>.</summary>
    public int? NumScenariosPerType { get; init; }

    /// <summary>A count (a whole number ≥ 1) or a fraction in (0, 1); <c>unknown</c> scenarios are removed first.</summary>
    public double? LimitTotalScenarios { get; init; }

    /// <summary>Minimum spacing in seconds between kept anchors of the same type (≥ 0).</summary>
    public double? TimestampThresholdS { get; init; }

    public bool RemoveInvalidGoals { get; init; } = true;

    public bool IncludeCameras { get; init; }

    /// <summary>Random per-type/total sampling and a shuffled final order, seeded by <see cref="Seed"/>.</summary>
    public bool Shuffle { get; init; }

    public int Seed { get; init; }

    /// <summary>The nuPlan challenge preset: the 14 challenge types, invalid goals removed.</summary>
    public static ScenarioFilter Challenge { get; } = new() { ScenarioTypes = global::NuPlanBus.Scenarios.ScenarioTypes.Challenge };

    /// <summary>Throws <see cref="ConfigurationException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        CheckNames(ScenarioTypes, "scenario type");
        CheckNames(LogNames, "log name");
        CheckNames(MapNames, "map name");
        foreach (var token in ScenarioTokens)
        {
            if (!NuPlanToken.IsValid(token))
            {
                throw new ConfigurationException(
                    $"Scenario token '{token}' is invalid: a token is exactly {NuPlanToken.HexLength} hex characters.");
            }
        }
        if (NumScenariosPerType is <= 0)
        {
            throw new ConfigurationException($"num_scenarios_per_type must be a positive count, got {NumScenariosPerType}.");
        }
        if (LimitTotalScenarios is { } limit)
        {
            var isFraction = limit > 0 && limit < 1;
            var isCount = limit >= 1 && limit == Math.Floor(limit) && limit <= int.MaxValue;
            if (!isFraction && !isCount)
            {
                throw new ConfigurationException(
                    $"limit_total_scenarios must be a whole count ≥ 1 or a fraction in (0, 1), got {limit}.");
            }
        }
        if (TimestampThresholdS is { } threshold && !(threshold >= 0 && double.IsFinite(threshold)))
        {
            throw new ConfigurationException($"timestamp_threshold_s must be a finite value ≥ 0, got {threshold}.");
        }
    }

    /// <summary>The SQL part of the filter, with tokens normalised to lowercase.</summary>
    public ScenarioQuery ToQuery() => new()
    {
        ScenarioTypes = ScenarioTypes,
        ScenarioTokens = ScenarioTokens.Select(t => t.ToLowerInvariant()).ToArray(),
        MapNames = MapNames,
        RemoveInvalidGoals = RemoveInvalidGoals,
        IncludeCameras = IncludeCameras,
    };

    private static void CheckNames(IReadOnlyList<string> names, string what)
    {
        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ConfigurationException($"A {what} in the scenario filter is empty.");
            }
        }
    }
}
