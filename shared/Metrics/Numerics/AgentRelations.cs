using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Metrics.Numerics;

/// <summary>
/// The devkit's <c>is_agent_ahead</c> / <c>is_agent_behind</c> (docs/nuplan-simulation.md §4.2): comparisons of
/// <see cref="Pose.RelativeAngleTo"/> with a tolerance. A point on the pose gives NaN, so it is neither.
/// </summary>
public static class AgentRelations
{
    /// <summary><c>is_agent_ahead</c>: relative angle strictly below the tolerance (30° by default).</summary>
    public static bool IsAhead(in Pose from, Vector2 point, double toleranceDegrees = 30.0) =>
        from.RelativeAngleTo(point) < Angles.DegreesToRadians(toleranceDegrees);

    /// <summary><c>is_agent_behind</c>: relative angle strictly above the tolerance (150° by default).</summary>
    public static bool IsBehind(in Pose from, Vector2 point, double toleranceDegrees = 150.0) =>
        from.RelativeAngleTo(point) > Angles.DegreesToRadians(toleranceDegrees);
}
