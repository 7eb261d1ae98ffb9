namespace NuPlanBus.Contracts;

/// <summary>
/// Which scenarios of the dataset to run, with nuPlan's scenario-filter semantics. Empty lists mean
/// "no restriction"; tokens are 16 lowercase hex characters.
/// </summary>
public sealed record ScenarioFilterSpec
{
    public IReadOnlyList<string> ScenarioTypes { get; init; } = [];

    public IReadOnlyList<string> ScenarioTokens { get; init; } = [];

    public IReadOnlyList<string> LogNames { get; init; } = [];

    public IReadOnlyList<string> MapNames { get; init; } = [];

    public int? NumScenariosPerType { get; init; }

    /// <summary>A count (≥ 1) or a fraction in (0, 1).</summary>
    public double? LimitTotalScenarios { get; init; }

    public double? TimestampThresholdS { get; init; }

    public bool RemoveInvalidGoals { get; init; } = true;

    public bool Shuffle { get; init; }

    public int Seed { get; init; }
}
