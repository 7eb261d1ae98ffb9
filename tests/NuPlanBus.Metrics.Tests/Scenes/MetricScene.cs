using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;

namespace NuPlanBus.Metrics.Tests.Scenes;

/// <summary>
/// One devkit metric test scene (docs/nuplan-simulation.md §5) turned into a history and a scenario. The scenario is a
/// <see cref="MetricSceneScenario"/>: a recorded scenario whose logged future follows the devkit harness's
/// positional rule over <c>expert_ego_states</c>.
/// </summary>
public sealed record MetricScene(
    string Name,
    SimulationHistory History,
    IScenario Scenario,
    IReadOnlyList<ExpectedMetricStatistics> Expected,
    IReadOnlyDictionary<string, double> MetricParameters);

/// <summary>
/// One expected MetricStatistics: statistics compared in order by type string and value (booleans as 1/0, abs tol
/// 0.01); the series, when given, compared after rounding to 2 decimals with exact timestamps.
/// </summary>
public sealed record ExpectedMetricStatistics(
    IReadOnlyList<ExpectedStatistic> Statistics,
    IReadOnlyList<long>? TimestampsUs,
    IReadOnlyList<double>? Values);

public readonly record struct ExpectedStatistic(string Type, double Value);
