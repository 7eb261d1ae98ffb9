namespace NuPlanBus.Metrics.Evaluation.Collisions;

/// <summary>
/// The map-free stand-in for what the devkit reads from <c>ego_lane_change</c> and the INTERSECTION layer
/// (docs/nuplan-simulation.md §4.3.5–4.3.7): whether the ego is "fully inside one lane or a connected lane pair" at a timestamp,
/// and whether its rear axle lies in an intersection. Without map data one answer is assumed for every timestamp
/// and the ego is never in an intersection. See shared/Metrics/README.md ("Map policy").
/// </summary>
public enum EgoLaneAssumption
{
    /// <summary>
    /// The default: the ego is always inside one lane. ACTIVE_LATERAL collisions are never at fault, and
    /// time_to_collision_within_bound only projects objects ahead of the ego (relative angle &lt; 30°).
    /// </summary>
    InsideLane,

    /// <summary>
    /// The ego is never inside one lane (as during a lane change or off the drivable area). ACTIVE_LATERAL
    /// collisions are at fault, and TTC also projects objects beside the ego (anything not behind, ≤ 150°).
    /// </summary>
    NotInsideLane,
}
