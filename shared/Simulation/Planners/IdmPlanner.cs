using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Buffer;
using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Maps;
using NuPlanBus.Maps.Objects;
using NuPlanBus.Simulation.Idm;
using NuPlanBus.Simulation.Routes;

namespace NuPlanBus.Simulation.Planners;

/// <summary>nuPlan's idm_planner configuration (docs/nuplan-simulation.md §3.8.3); the defaults are the devkit's.</summary>
public sealed record IdmPlannerOptions
{
    public double TargetVelocity { get; init; } = 10.0;

    public double MinGapToLeadAgent { get; init; } = 1.0;

    public double HeadwayTime { get; init; } = 1.5;

    public double AccelMax { get; init; } = 1.0;

    public double DecelMax { get; init; } = 3.0;

    public int PlannedTrajectorySamples { get; init; } = 16;

    public double PlannedTrajectorySampleIntervalS { get; init; } = 0.5;

    public double OccupancyMapRadius { get; init; } = 40.0;

    /// <summary>
    /// Added to the straight extension of the expert path beyond the longest distance the ego can need during the
    /// scenario (target speed × (duration + 2 × planned horizon)), so the virtual free-road lead at the path end
    /// stays far away. Map-free stand-in for the devkit's route to the last route roadblock.
    /// </summary>
    public double PathExtensionMarginM { get; init; } = 50.0;

    public static IdmPlannerOptions Default { get; } = new();

    public double PlannedHorizonS => PlannedTrajectorySamples * PlannedTrajectorySampleIntervalS;

    public IdmPolicy Policy(double targetVelocity) => new(targetVelocity, MinGapToLeadAgent, HeadwayTime, AccelMax, DecelMax);

    public void Validate()
    {
        Policy(TargetVelocity).Validate();
        if (PlannedTrajectorySamples < 1 || !(PlannedTrajectorySampleIntervalS > 0))
        {
            throw new ArgumentException("The IDM planner needs at least one sample and a positive sample interval.");
        }
        if (!(OccupancyMapRadius > 0) || !(PathExtensionMarginM >= 0))
        {
            throw new ArgumentException("The occupancy radius must be positive and the path extension margin non-negative.");
        }
    }
}

/// <summary>
/// nuPlan's IDMPlanner (docs/nuplan-simulation.md §3.8.3, docs/nuplan-scoring-and-planners.md §B.2–B.3): with a map
/// the ego follows the lane graph from the scenario's roadblock ids (<see cref="RouteSources.Lanes"/>); without one
/// it follows the expert's logged centre path (<see cref="RouteSources.ExpertPath"/>); an IDM longitudinal policy either way.
/// </summary>
/// <remarks>
/// <para><b>On the lane graph</b> (<see cref="LaneGraphRoute"/>): the path is the planned edges' baselines, the
/// target velocity the first edge's speed limit (else the configured one), and every step each RED traffic light on a
/// route connector is an obstacle with the connector's whole polygon, at speed 0. <b>Without a map</b> the path is
/// the expert's centre poses of every iteration plus the logged future, extended straight along the final heading;
/// the speed limit is the IDM target velocity and traffic lights are ignored.</para>
/// <para>As in the devkit: on the first call the target velocity becomes max(target_velocity, current ego speed);
/// every call the observed objects within the occupancy radius (centre distance) are candidates; for each of the 16
/// steps the path ahead (progress … progress + target × 8 s) buffered by half the ego width with square caps,
/// together with the ego footprint, selects the intersecting candidates and the one nearest to the ego footprint
/// (polygon distance) is the lead: an agent leads with |v|·cos(heading difference), a static object with 0; without
/// one a virtual lead stands at the path end with speed 0 and rear length = ego length / 2. The planned states are
/// path poses at the clamped progress with centre velocity (v, 0), zero acceleration and steering; the first is the
/// ego projected on the path at the current time.</para>
/// <para>No shapely geometry is built: each candidate's centre is projected once per call onto the path, which gives
/// its lateral reach (offset minus the box's extent across the path) and the progress interval it covers; a step
/// then only compares intervals, and tests boxes against the ego footprint exactly (separating axes). This is exact
/// where the path is straight across a box; see <see cref="CorridorWindow.CorridorInterval"/>.</para>
/// </remarks>
public sealed class IdmPlanner : IPlanner, IHasRouteSource
{
    private readonly IScenario _scenario;
    private readonly NuPlanMap? _map;
    private readonly IdmPlannerOptions _options;
    private readonly VehicleParameters _vehicle;
    private readonly long _sampleIntervalUs;
    private readonly CorridorWindow _window = new();
    private Candidate[] _candidates = new Candidate[64];
    private PathPolyline? _path;
    private LaneGraphRoute? _route;
    private IdmPolicy _policy;

    public IdmPlanner(IScenario scenario, IdmPlannerOptions? options = null, NuPlanMap? map = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        _map = map;
        _options = options ?? IdmPlannerOptions.Default;
        _options.Validate();
        _vehicle = scenario.Vehicle;
        _sampleIntervalUs = (long)Math.Round(_options.PlannedTrajectorySampleIntervalS * 1e6);
        _policy = _options.Policy(_options.TargetVelocity);
    }

    /// <summary>nuPlan's class name, as reports carry it.</summary>
    public string Name => "IDMPlanner";

    /// <summary>Lanes once a lane-graph route was built on the first call; the expert path otherwise.</summary>
    public string RouteSource => _route is null ? RouteSources.ExpertPath : RouteSources.Lanes;

    /// <summary>The lane-graph route; null without a map (or before the first call).</summary>
    public LaneGraphRoute? Route => _route;

    public IdmPlannerOptions Options => _options;

    /// <summary>The path the ego follows; null before the first call.</summary>
    public PathPolyline? Path => _path;

    /// <summary>The target velocity in use (fixed on the first call).</summary>
    public double TargetVelocity => _policy.TargetVelocity;

    public void Initialize(PlannerInitialization initialization)
    {
        _path = null;
        _route = null;
        _policy = _options.Policy(_options.TargetVelocity);
    }

    public ITrajectory ComputeTrajectory(PlannerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ego = input.History.CurrentEgoState;
        var path = _path ?? InitializePath(ego);
        var lookAhead = Math.Abs(_policy.TargetVelocity) * _options.PlannedHorizonS;
        var egoCenter = ego.Center(_vehicle);
        var progress = path.Project(egoCenter.X, egoCenter.Y);
        var velocity = ego.CenterVelocity(_vehicle).X;
        var count = CollectCandidates(path, input.History.CurrentObservation, egoCenter, progress, velocity, lookAhead);
        var redLights = RedLightObstacles(input.TrafficLights);

        var samples = _options.PlannedTrajectorySamples;
        var dt = _options.PlannedTrajectorySampleIntervalS;
        var halfWidth = _vehicle.Width / 2;
        var states = new EgoState[samples + 1];
        var time = ego.TimeUs;
        states[0] = StateAt(path, progress, velocity, time);
        var footprint = new BoxShape(ego.Footprint(_vehicle));
        var footprintHeading = egoCenter.Heading;
        for (var k = 1; k <= samples; k++)
        {
            var lead = FindLead(path, count, footprint, footprintHeading, progress, lookAhead, halfWidth, redLights);
            var (delta, next) = _policy.Step(velocity, lead, dt);
            progress += delta;
            velocity = next;
            time += _sampleIntervalUs;
            states[k] = StateAt(path, progress, velocity, time);
            var center = path.PoseAt(progress);
            footprint = new BoxShape(new OrientedBox(center, _vehicle.Length, _vehicle.Width, _vehicle.Height));
            footprintHeading = center.Heading;
        }
        return new InterpolatedTrajectory(states);
    }

    private PathPolyline InitializePath(in EgoState ego)
    {
        if (_map is not null && LaneGraphRoute.Build(_map, _scenario.RouteRoadblockIds, ego, _vehicle) is { } route)
        {
            _route = route;
            _policy = _options.Policy(Math.Max(route.SpeedLimitMps is > 0 and var limit ? limit : _options.TargetVelocity, ego.Speed));
            _path = route.Path;
            return _path;
        }
        _policy = _options.Policy(Math.Max(_options.TargetVelocity, ego.Speed));
        var durationS = (_scenario.GetTimeUs(_scenario.NumberOfIterations - 1) - _scenario.GetTimeUs(0)) * 1e-6;
        var extension = _policy.TargetVelocity * (durationS + 2 * _options.PlannedHorizonS) + _options.PathExtensionMarginM;
        _path = RouteSources.ExpertCentrePath(_scenario, extension);
        return _path;
    }

    private EgoState StateAt(PathPolyline path, double progress, double velocity, long timeUs) =>
        EgoState.FromCenter(timeUs, path.PoseAt(progress), new Vector2(velocity, 0), Vector2.Zero, _vehicle);

    /// <summary>Objects within the occupancy radius, each projected once onto the stretch of path this call can reach.</summary>
    private int CollectCandidates(
        PathPolyline path, IReadOnlyList<TrackedObject> objects, Pose egoCenter, double progress, double velocity, double lookAhead)
    {
        if (_candidates.Length < objects.Count)
        {
            _candidates = new Candidate[Math.Max(objects.Count, _candidates.Length * 2)];
        }
        var radius = _options.OccupancyMapRadius;
        var reach = Math.Max(velocity, _policy.TargetVelocity) * _options.PlannedHorizonS + lookAhead;
        _window.Reset(path, progress, progress + reach, _vehicle.Width / 2, squareCaps: true);
        var count = 0;
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            var dx = o.Box.Center.X - egoCenter.X;
            var dy = o.Box.Center.Y - egoCenter.Y;
            if (!(Math.Sqrt(dx * dx + dy * dy) < radius))
            {
                continue;
            }
            var shape = new BoxShape(o.Box);
            var onPath = _window.Overlaps(shape, out var low, out var high);
            _candidates[count++] = new Candidate(shape, o.Type.IsAgent() ? o.Velocity.Magnitude : 0.0, o.Box.Center.Heading, onPath, low, high);
        }
        return count;
    }

    /// <summary>The polygons of route connectors whose light is RED this step (YELLOW and UNKNOWN are ignored).</summary>
    private List<Geometry>? RedLightObstacles(IReadOnlyList<TrafficLightStatus> lights)
    {
        if (_route is null || _map is null)
        {
            return null;
        }
        List<Geometry>? obstacles = null;
        foreach (var light in lights)
        {
            if (light.Status == TrafficLightState.Red && _route.CandidateIds.Contains(light.LaneConnectorId)
                && _map.GetLaneConnector(light.LaneConnectorId) is { } connector)
            {
                (obstacles ??= []).Add(connector.Polygon);
            }
        }
        return obstacles;
    }

    private IdmLead FindLead(
        PathPolyline path, int count, in BoxShape footprint, double footprintHeading, double progress, double lookAhead, double halfWidth,
        List<Geometry>? redLights)
    {
        // Square caps: the buffered path reaches half a width beyond both trimmed ends.
        var from = path.Clamp(progress) - halfWidth;
        var to = path.Clamp(progress + lookAhead) + halfWidth;
        var best = double.PositiveInfinity;
        var bestIndex = -1;
        for (var i = 0; i < count; i++)
        {
            ref readonly var c = ref _candidates[i];
            if (!BoxShape.MayBeCloserThan(footprint, c.Shape, best))
            {
                continue;
            }
            var hit = (c.OnPath && c.ProgressHigh >= from && c.ProgressLow <= to) || BoxShape.Intersects(footprint, c.Shape);
            if (!hit)
            {
                continue;
            }
            var distance = BoxShape.Distance(footprint, c.Shape);
            if (distance < best)
            {
                best = distance;
                bestIndex = i;
            }
        }
        if (redLights is not null && RedLightLead(path, footprint, footprintHeading, progress, lookAhead, halfWidth, redLights) is { } red && red < best)
        {
            return new IdmLead(red, 0.0, 0.0);
        }
        if (bestIndex < 0)
        {
            return new IdmLead(path.Length - progress, 0.0, _vehicle.Length / 2);
        }
        ref readonly var lead = ref _candidates[bestIndex];
        var projected = lead.Speed * Math.Cos(Angles.PrincipalValue(lead.Heading - footprintHeading));
        return new IdmLead(best, projected, 0.0);
    }

    /// <summary>
    /// The gap to the nearest red-light polygon that the expanded path (the path ahead buffered by half the ego width
    /// with square caps, and the ego footprint) meets, or null: polygons are arbitrary, so this goes through NTS.
    /// </summary>
    private double? RedLightLead(
        PathPolyline path, in BoxShape footprint, double footprintHeading, double progress, double lookAhead, double halfWidth, List<Geometry> redLights)
    {
        var factory = redLights[0].Factory;
        var egoPolygon = MapObject.ToPolygon(factory, new OrientedBox(new Pose(footprint.Cx, footprint.Cy, footprintHeading), _vehicle.Length, _vehicle.Width, _vehicle.Height));
        var ahead = TrimmedLine(path, progress, progress + lookAhead, factory)
            .Buffer(halfWidth, new BufferParameters { EndCapStyle = EndCapStyle.Square });
        double? best = null;
        foreach (var polygon in redLights)
        {
            if (polygon.Intersects(ahead) || polygon.Intersects(egoPolygon))
            {
                var distance = polygon.Distance(egoPolygon);
                best = best is { } b ? Math.Min(b, distance) : distance;
            }
        }
        return best;
    }

    private static LineString TrimmedLine(PathPolyline path, double from, double to, GeometryFactory factory)
    {
        from = path.Clamp(from);
        to = Math.Max(path.Clamp(to), from);
        var coordinates = new List<Coordinate>();
        var start = path.PoseAt(from);
        coordinates.Add(new Coordinate(start.X, start.Y));
        var s = path.Progresses;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] > from && s[i] < to)
            {
                coordinates.Add(new Coordinate(path.Xs[i], path.Ys[i]));
            }
        }
        var end = path.PoseAt(to);
        coordinates.Add(new Coordinate(end.X, end.Y));
        if (coordinates.Count == 2 && coordinates[0].Equals2D(coordinates[1]))
        {
            coordinates[1] = new Coordinate(coordinates[0].X + 1e-6, coordinates[0].Y);
        }
        return factory.CreateLineString([.. coordinates]);
    }

    private readonly record struct Candidate(BoxShape Shape, double Speed, double Heading, bool OnPath, double ProgressLow, double ProgressHigh);
}
