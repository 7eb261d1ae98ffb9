using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Numerics;

namespace NuPlanBus.Metrics.Evaluation.Collisions;

/// <summary>nuPlan's CollisionType, with its enum values.</summary>
public enum CollisionType
{
    StoppedEgo = 0,
    StoppedTrack = 1,
    ActiveFront = 2,
    ActiveRear = 3,
    ActiveLateral = 4,
}

/// <summary>nuPlan's collision groups for the statistics: VRUs, vehicles, objects.</summary>
public enum CollisionGroup
{
    VRUs,
    Vehicles,
    Objects,
}

/// <summary>The first collision of the ego with one track.</summary>
public readonly record struct EgoCollision(
    long TimeUs,
    int SampleIndex,
    string TrackToken,
    TrackedObjectType ObjectType,
    CollisionType Type,
    double EgoDeltaV)
{
    /// <summary>
    /// The devkit's at-fault rule: collisions with a stopped track and active front collisions always; active lateral
    /// collisions only when the ego is not fully inside one lane or a connected pair at that timestamp; never
    /// stopped-ego or rear collisions.
    /// </summary>
    public bool IsAtFault(bool egoInsideOneLane) => Type switch
    {
        CollisionType.StoppedTrack or CollisionType.ActiveFront => true,
        CollisionType.ActiveLateral => !egoInsideOneLane,
        _ => false,
    };

    public CollisionGroup? Group => EgoCollisions.GroupOf(ObjectType);
}

/// <summary>
/// The collision scan behind no_ego_at_fault_collisions and time_to_collision_within_bound (docs/nuplan-simulation.md §4.3.6):
/// walks the history, tests the ego footprint against every observed box with <see cref="BoxShape.InCollision"/>,
/// and records each track's first collision only, with its ego Δv and type.
/// </summary>
public static class EgoCollisions
{
    /// <summary>Speed at or below which the ego or a track counts as stopped (m/s).</summary>
    public const double StoppedSpeedThreshold = 0.05;

    public const double EgoMass = 2000;
    public const double AgentMass = 2000;

    private const string SharedKey = "collisions";

    /// <summary>The scan for this scenario, computed once and shared by the metrics that read it.</summary>
    public static IReadOnlyList<EgoCollision> Of(MetricInput input) =>
        input.GetShared<EgoCollision[]>(SharedKey, Scan);

    public static EgoCollision[] Scan(MetricInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var samples = input.History.Samples;
        var vehicle = input.Vehicle;
        var collided = new HashSet<string>(StringComparer.Ordinal);
        var collisions = new List<EgoCollision>();
        for (var i = 0; i < samples.Count; i++)
        {
            var ego = samples[i].EgoState;
            var footprint = ego.Footprint(vehicle);
            var observation = samples[i].Observation;
            for (var k = 0; k < observation.Count; k++)
            {
                var tracked = observation[k];
                if (collided.Contains(tracked.TrackToken) || !BoxShape.InCollision(footprint, tracked.Box))
                {
                    continue;
                }
                collided.Add(tracked.TrackToken);
                collisions.Add(new EgoCollision(
                    ego.TimeUs, i, tracked.TrackToken, tracked.Type, Classify(ego, footprint, tracked), EgoDeltaV(ego, tracked)));
            }
        }
        return collisions.ToArray();
    }

    /// <summary>
    /// <c>ego_delta_v_collision</c>: m_o/(m_o + m_e)·√(v_e² + v_o² − 2·v_e·v_o·cos(h_e − h_o)); static objects have
    /// v_o = 0; h_e is the rear-axle heading and h_o the box heading.
    /// </summary>
    public static double EgoDeltaV(in EgoState ego, in TrackedObject tracked)
    {
        var ratio = AgentMass / (AgentMass + EgoMass);
        var egoSpeed = ego.Speed;
        var objectSpeed = tracked.Speed;
        var sumSquared = egoSpeed * egoSpeed + objectSpeed * objectSpeed;
        var cosineTerm = 2 * egoSpeed * objectSpeed * Math.Cos(ego.RearAxle.Heading - tracked.Box.Center.Heading);
        return ratio * Math.Sqrt(sumSquared - cosineTerm);
    }

    /// <summary>
    /// <c>_get_collision_type</c>: stopped ego, else stopped (or static) track, else track centre behind the rear axle
    /// (&gt; 150°), else the front edge (front-left to front-right corner) touches the track box, else lateral.
    /// </summary>
    public static CollisionType Classify(in EgoState ego, in OrientedBox footprint, in TrackedObject tracked)
    {
        if (ego.Speed <= StoppedSpeedThreshold)
        {
            return CollisionType.StoppedEgo;
        }
        if (IsStopped(tracked))
        {
            return CollisionType.StoppedTrack;
        }
        if (AgentRelations.IsBehind(ego.RearAxle, tracked.Box.Center.Position))
        {
            return CollisionType.ActiveRear;
        }
        Span<Vector2> corners = stackalloc Vector2[4];
        footprint.GetCorners(corners);
        return BoxShape.SegmentIntersects(corners[0], corners[3], new BoxShape(tracked.Box))
            ? CollisionType.ActiveFront
            : CollisionType.ActiveLateral;
    }

    /// <summary><c>is_track_stopped</c>: static objects always; agents at |v| ≤ 0.05 m/s.</summary>
    public static bool IsStopped(in TrackedObject tracked) =>
        !tracked.Type.IsAgent() || tracked.Velocity.Magnitude <= StoppedSpeedThreshold;

    /// <summary>VRUs = pedestrian, bicycle; vehicles = vehicle; objects = cone, barrier, czone sign, generic object.</summary>
    public static CollisionGroup? GroupOf(TrackedObjectType type) => type switch
    {
        TrackedObjectType.Pedestrian or TrackedObjectType.Bicycle => CollisionGroup.VRUs,
        TrackedObjectType.Vehicle => CollisionGroup.Vehicles,
        TrackedObjectType.TrafficCone or TrackedObjectType.Barrier or TrackedObjectType.CzoneSign
            or TrackedObjectType.GenericObject => CollisionGroup.Objects,
        _ => null,
    };
}
