namespace NuPlanBus.Scenarios;

/// <summary>
/// The SQL-level filters of scenario enumeration (docs/nuplan-simulation.md §1.4.1). Empty lists mean "no restriction"
/// (the devkit's <c>None</c>); the other filter steps of §2.4 live in <see cref="ScenarioFilter"/>.
/// </summary>
public sealed record ScenarioQuery
{
    public static readonly ScenarioQuery All = new() { RemoveInvalidGoals = false };

    public IReadOnlyList<string> ScenarioTypes { get; init; } = [];

    /// <summary>Anchor tokens, 16 hex characters each.</summary>
    public IReadOnlyList<string> ScenarioTokens { get; init; } = [];

    public IReadOnlyList<string> MapNames { get; init; } = [];

    /// <summary>Drop frames whose scene goal does not resolve to an existing ego_pose.</summary>
    public bool RemoveInvalidGoals { get; init; } = true;

    /// <summary>Keep only frames whose ego pose is shared by a camera image.</summary>
    public bool IncludeCameras { get; init; }
}
