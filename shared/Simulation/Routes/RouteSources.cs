using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;

namespace NuPlanBus.Simulation.Routes;

/// <summary>
/// What the IDM planner and IDM agents follow: lane baselines with a map (<see cref="Lanes"/>, the IDM planner's
/// <see cref="LaneGraphRoute"/>), logged poses without one. Run outputs record the value of
/// <see cref="IHasRouteSource.RouteSource"/> so results from the map-free model are never mistaken for lane-based
/// nuPlan results.
/// </summary>
/// <remarks>
/// Map-free route model: the "lane" of an IDM entity is a <see cref="PathPolyline"/> through logged poses.
/// The ego follows the expert's logged centre path (iterations plus the logged future), agents follow their own
/// logged track; both are extended straight along their last heading. Consequences: the speed limit is the IDM
/// target velocity (there are no lane speed limits), traffic lights are ignored (there are no lane connectors
/// or stop lines), and agents never change route (no successor lanes to choose from).
/// </remarks>
public static class RouteSources
{
    /// <summary>The ego follows the expert's logged centre path.</summary>
    public const string ExpertPath = "expert_path";

    /// <summary>Each IDM agent follows its own logged track.</summary>
    public const string LoggedTrack = "logged_track";

    /// <summary>The nuPlan model: lane baselines of the route found on the lane graph.</summary>
    public const string Lanes = "lanes";

    /// <summary>Logged future asked of the scenario beyond the last iteration (rows every 0.1 s).</summary>
    internal const double ExpertFutureHorizonS = 8.0;

    internal const int ExpertFutureSamples = 80;

    /// <summary>
    /// The expert's centre path: the centre poses of every iteration followed by the logged future rows after the
    /// last one (where the log has them), extended straight by <paramref name="extensionM"/>.
    /// </summary>
    public static PathPolyline ExpertCentrePath(IScenario scenario, double extensionM)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var vehicle = scenario.Vehicle;
        var expert = scenario.ExpertTrajectory;
        var future = scenario.GetFutureEgoStates(scenario.NumberOfIterations - 1, ExpertFutureHorizonS, ExpertFutureSamples);
        var poses = new Pose[expert.Count + future.Count];
        for (var i = 0; i < expert.Count; i++)
        {
            poses[i] = expert[i].Center(vehicle);
        }
        for (var i = 0; i < future.Count; i++)
        {
            poses[expert.Count + i] = future[i].Center(vehicle);
        }
        return PathPolyline.FromPoses(poses, extensionM);
    }

    /// <summary>
    /// The logged track of each object in <paramref name="trackTokens"/>: its box centres in every iteration it
    /// appears in, from iteration 0 on, extended straight by <paramref name="extensionsM"/>[k].
    /// </summary>
    public static PathPolyline[] LoggedTracks(IScenario scenario, IReadOnlyList<string> trackTokens, ReadOnlySpan<double> extensionsM)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(trackTokens);
        if (extensionsM.Length != trackTokens.Count)
        {
            throw new ArgumentException("One extension per track is needed.", nameof(extensionsM));
        }
        var index = new Dictionary<string, int>(trackTokens.Count, StringComparer.Ordinal);
        var poses = new List<Pose>[trackTokens.Count];
        for (var k = 0; k < trackTokens.Count; k++)
        {
            index.TryAdd(trackTokens[k], k);
            poses[k] = new List<Pose>(scenario.NumberOfIterations);
        }
        for (var i = 0; i < scenario.NumberOfIterations; i++)
        {
            var objects = scenario.GetTrackedObjects(i);
            for (var j = 0; j < objects.Count; j++)
            {
                if (index.TryGetValue(objects[j].TrackToken, out var k))
                {
                    poses[k].Add(objects[j].Box.Center);
                }
            }
        }
        var paths = new PathPolyline[trackTokens.Count];
        for (var k = 0; k < paths.Length; k++)
        {
            paths[k] = PathPolyline.FromPoses(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(poses[k]), extensionsM[k]);
        }
        return paths;
    }
}

/// <summary>A planner, observation or factory that says which route model it follows (<see cref="RouteSources"/>).</summary>
public interface IHasRouteSource
{
    string RouteSource { get; }
}
