using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Maps;
using NuPlanBus.Simulation.Idm;
using NuPlanBus.Simulation.Routes;

namespace NuPlanBus.Simulation.Observations;

/// <summary>nuPlan's idm_agents_observation configuration (docs/nuplan-simulation.md §3.5); the IDM defaults are the devkit's.</summary>
public sealed record IdmAgentsOptions
{
    public double TargetVelocity { get; init; } = 10.0;

    public double MinGapToLeadAgent { get; init; } = 1.0;

    public double HeadwayTime { get; init; } = 1.5;

    public double AccelMax { get; init; } = 1.0;

    public double DecelMax { get; init; } = 2.0;

    /// <summary>[m] Agents farther than this from the ego centre are removed for good.</summary>
    public double Radius { get; init; } = 100.0;

    /// <summary>
    /// Types replayed from the log every iteration. BICYCLE is deliberately absent, as in the devkit: cyclists are
    /// neither simulated nor replayed and vanish in reactive runs (docs/nuplan-simulation.md §6, quirk 15).
    /// </summary>
    public IReadOnlyList<TrackedObjectType> OpenLoopDetectionTypes { get; init; } =
    [
        TrackedObjectType.Pedestrian,
        TrackedObjectType.Barrier,
        TrackedObjectType.CzoneSign,
        TrackedObjectType.TrafficCone,
        TrackedObjectType.GenericObject,
    ];

    /// <summary>
    /// [m] How far ahead along its path an agent looks for a lead. Map-free stand-in for the devkit's "path to go"
    /// (the rest of the agent's lane route, kept at least 20 m + target velocity × headway long and usually several
    /// lanes longer); the default matches the IDM planner's 10 m/s × 8 s.
    /// </summary>
    public double PathLookAheadM { get; init; } = 80.0;

    /// <summary>[m] Added to the straight extension of each logged track beyond the distance the agent can cover
    /// in the scenario, so the virtual free-road lead at the path end stays far away.</summary>
    public double PathExtensionMarginM { get; init; } = 50.0;

    public static IdmAgentsOptions Default { get; } = new();

    public IdmPolicy Policy => new(TargetVelocity, MinGapToLeadAgent, HeadwayTime, AccelMax, DecelMax);

    public void Validate()
    {
        Policy.Validate();
        if (!(Radius > 0) || !(PathLookAheadM > 0) || !(PathExtensionMarginM >= 0))
        {
            throw new ArgumentException("The agent radius and look-ahead must be positive and the extension margin non-negative.");
        }
        ArgumentNullException.ThrowIfNull(OpenLoopDetectionTypes);
        foreach (var type in OpenLoopDetectionTypes)
        {
            if (type is TrackedObjectType.Vehicle or TrackedObjectType.Ego)
            {
                throw new ArgumentException($"{type} cannot be an open-loop detection type.");
            }
        }
    }
}

/// <summary>
/// nuPlan's IDMAgents observation ("reactive agents", docs/nuplan-simulation.md §3.5): every logged vehicle of
/// iteration 0 becomes an IDM agent — with a map snapped to the lane graph (<see cref="LaneAgentRoutes"/>,
/// <see cref="RouteSources.Lanes"/>), without one following its own logged track (<see cref="RouteSources.LoggedTrack"/>).
/// </summary>
/// <remarks>
/// <para><b>On the lane graph</b> an agent follows its snapped segment's baseline and the route extended from it at
/// the start (least curvature; signalised connectors only when GREEN then), at its lane's speed limit, and stops at
/// the stop lines of route connectors whose light is RED in the current frame. <b>Without a map</b> a track is the agent's box centres over the scenario's
/// iterations, extended straight along its last heading; the speed limit is the IDM target velocity and traffic
/// lights and stop lines are ignored.</para>
/// <para>As in the devkit: agents are built lazily from the iteration-0 detections; only VEHICLE tracks become agents,
/// skipped when their box intersects the ego or an agent placed before them; initial speed = |box velocity| (the ego
/// speed when NaN). PEDESTRIAN, BARRIER, CZONE_SIGN, TRAFFIC_CONE and GENERIC_OBJECT are replayed from the log;
/// BICYCLE is neither simulated nor replayed (devkit quirk). Each update first drops agents farther than
/// <see cref="IdmAgentsOptions.Radius"/> from the ego centre, then moves the agents one after the other (later agents
/// see the earlier ones' new boxes): the lead is the nearest — by polygon distance to the agent's box — of the ego
/// footprint, the other agents and the next iteration's open-loop objects that touch the agent's path ahead buffered
/// by half its width (flat caps). The ego leads with |rear-axle velocity| projected on the agent's heading, an agent
/// with its speed projected likewise, an open-loop object with 0; without a lead a virtual one stands at the path end
/// (speed 0, rear length half the agent's length).</para>
/// <para>Difference from the devkit: other agents occupy their box, not the devkit's "projected footprint" (the box
/// stretched ahead by speed × headway along the path), and distances are measured from the agent's box.</para>
/// <para>Agents keep the token and track token of their iteration-0 detection, so metrics can follow them.</para>
/// </remarks>
public sealed class IdmAgentsObservation : IObservation, IHasRouteSource
{
    private readonly IScenario _scenario;
    private readonly NuPlanMap? _map;
    private readonly IdmAgentsOptions _options;
    private readonly IdmPolicy _policy;
    private readonly TrackedObjectType[] _openLoopTypes;
    private readonly CorridorWindow _window = new();
    private Agent[] _agents = [];
    private BoxShape[] _openLoop = new BoxShape[16];
    private bool _built;
    private int _iteration;
    private TrackedObject[]? _observation;

    public IdmAgentsObservation(IScenario scenario, IdmAgentsOptions? options = null, NuPlanMap? map = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
        _map = map;
        _options = options ?? IdmAgentsOptions.Default;
        _options.Validate();
        _policy = _options.Policy;
        _openLoopTypes = [.. _options.OpenLoopDetectionTypes];
    }

    /// <summary>Lanes with a map (agents snapped to the lane graph), each agent's logged track without.</summary>
    public string RouteSource => _map is null ? RouteSources.LoggedTrack : RouteSources.Lanes;

    public IdmAgentsOptions Options => _options;

    /// <summary>Agents still simulated (not yet dropped for range).</summary>
    public int ActiveAgentCount
    {
        get
        {
            EnsureBuilt();
            var count = 0;
            foreach (var agent in _agents)
            {
                count += agent.Active ? 1 : 0;
            }
            return count;
        }
    }

    public void Reset()
    {
        _iteration = 0;
        _built = false;
        _agents = [];
        _observation = null;
    }

    public void Initialize()
    {
    }

    public IReadOnlyList<TrackedObject> GetObservation()
    {
        EnsureBuilt();
        return _observation ??= BuildObservation();
    }

    public void UpdateObservation(SimulationIteration current, SimulationIteration next, HistoryBuffer history)
    {
        ArgumentNullException.ThrowIfNull(history);
        EnsureBuilt();
        _iteration = next.Index;
        _observation = null;
        var dt = (next.TimeUs - current.TimeUs) * 1e-6;
        var ego = history.CurrentEgoState;
        var egoShape = new BoxShape(ego.Footprint(_scenario.Vehicle));
        var egoSpeed = ego.RearAxleVelocity.Magnitude;
        var openLoopCount = CollectOpenLoop(_scenario.GetTrackedObjects(_iteration));
        var redStopLines = RedStopLines(current.Index);

        var radiusSquared = _options.Radius * _options.Radius;
        for (var i = 0; i < _agents.Length; i++)
        {
            ref var agent = ref _agents[i];
            var dx = agent.Shape.Cx - egoShape.Cx;
            var dy = agent.Shape.Cy - egoShape.Cy;
            if (agent.Active && dx * dx + dy * dy > radiusSquared)
            {
                agent.Active = false;
            }
        }
        for (var i = 0; i < _agents.Length; i++)
        {
            if (!_agents[i].Active)
            {
                continue;
            }
            var lead = FindLead(i, egoShape, egoSpeed, ego.RearAxle.Heading, openLoopCount, redStopLines);
            ref var agent = ref _agents[i];
            var (delta, velocity) = agent.Policy.Step(agent.Velocity, lead, dt);
            agent.Progress += delta;
            agent.Velocity = velocity;
            agent.Place();
        }
    }

    /// <summary>Ids of the connectors whose light is RED in the frame, when the agents are on the lane graph.</summary>
    private HashSet<long>? RedStopLines(int iteration)
    {
        if (_map is null)
        {
            return null;
        }
        HashSet<long>? red = null;
        foreach (var light in _scenario.GetTrafficLights(iteration))
        {
            if (light.Status == TrafficLightState.Red)
            {
                (red ??= []).Add(light.LaneConnectorId);
            }
        }
        return red;
    }

    private IdmLead FindLead(int index, in BoxShape egoShape, double egoSpeed, double egoHeading, int openLoopCount, HashSet<long>? redConnectors)
    {
        ref readonly var agent = ref _agents[index];
        var path = agent.Path;
        var from = path.Clamp(agent.Progress);
        _window.Reset(path, from, from + _options.PathLookAheadM, agent.Width / 2, squareCaps: false);
        var best = double.PositiveInfinity;
        var leadSpeed = 0.0;
        var leadHeading = 0.0;
        if (!_window.IsEmpty)
        {
            if (Closer(agent.Shape, egoShape, ref best))
            {
                leadSpeed = egoSpeed;
                leadHeading = egoHeading;
            }
            for (var j = 0; j < _agents.Length; j++)
            {
                ref readonly var other = ref _agents[j];
                if (j != index && other.Active && Closer(agent.Shape, other.Shape, ref best))
                {
                    leadSpeed = other.Velocity;
                    leadHeading = other.Heading;
                }
            }
            for (var j = 0; j < openLoopCount; j++)
            {
                if (Closer(agent.Shape, _openLoop[j], ref best))
                {
                    leadSpeed = 0.0;
                    leadHeading = agent.Heading;
                }
            }
            // The stop lines of RED connectors on the agent's route stop it (at speed 0), as in the devkit.
            if (redConnectors is not null && agent.StopLines is { } stopLines)
            {
                foreach (var (connector, box) in stopLines)
                {
                    if (redConnectors.Contains(connector) && Closer(agent.Shape, box, ref best))
                    {
                        leadSpeed = 0.0;
                        leadHeading = agent.Heading;
                    }
                }
            }
        }
        if (double.IsPositiveInfinity(best))
        {
            return new IdmLead(path.Length - agent.Progress, 0.0, agent.Length / 2);
        }
        return new IdmLead(best, leadSpeed * Math.Cos(Angles.PrincipalValue(leadHeading - agent.Heading)), 0.0);
    }

    /// <summary>Whether <paramref name="candidate"/> touches the current corridor and is nearer than <paramref name="best"/> (then updated).</summary>
    private bool Closer(in BoxShape self, in BoxShape candidate, ref double best)
    {
        if (!_window.MayOverlap(candidate) || !BoxShape.MayBeCloserThan(self, candidate, best) || !_window.Overlaps(candidate, out _, out _))
        {
            return false;
        }
        var distance = BoxShape.Distance(self, candidate);
        if (distance >= best)
        {
            return false;
        }
        best = distance;
        return true;
    }

    private int CollectOpenLoop(IReadOnlyList<TrackedObject> objects)
    {
        var count = 0;
        for (var i = 0; i < objects.Count; i++)
        {
            if (!IsOpenLoop(objects[i].Type))
            {
                continue;
            }
            if (count == _openLoop.Length)
            {
                Array.Resize(ref _openLoop, count * 2);
            }
            _openLoop[count++] = new BoxShape(objects[i].Box);
        }
        return count;
    }

    private bool IsOpenLoop(TrackedObjectType type) => Array.IndexOf(_openLoopTypes, type) >= 0;

    private TrackedObject[] BuildObservation()
    {
        var objects = _scenario.GetTrackedObjects(_iteration);
        var timeUs = _scenario.GetTimeUs(_iteration);
        var count = 0;
        foreach (var agent in _agents)
        {
            count += agent.Active ? 1 : 0;
        }
        for (var i = 0; i < objects.Count; i++)
        {
            count += IsOpenLoop(objects[i].Type) ? 1 : 0;
        }
        var result = new TrackedObject[count];
        var k = 0;
        foreach (var agent in _agents)
        {
            if (agent.Active)
            {
                result[k++] = agent.ToTrackedObject(timeUs);
            }
        }
        for (var i = 0; i < objects.Count; i++)
        {
            if (IsOpenLoop(objects[i].Type))
            {
                result[k++] = objects[i];
            }
        }
        return result;
    }

    private void EnsureBuilt()
    {
        if (_built)
        {
            return;
        }
        if (_map is not null)
        {
            BuildOnLanes(_map);
            _built = true;
            return;
        }
        var vehicle = _scenario.Vehicle;
        var ego = _scenario.GetEgoState(0);
        var placed = new List<TrackedObject>();
        var shapes = new List<BoxShape> { new(ego.Footprint(vehicle)) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var detection in _scenario.GetTrackedObjects(0))
        {
            if (detection.Type != TrackedObjectType.Vehicle || !seen.Add(detection.Token))
            {
                continue;
            }
            var shape = new BoxShape(detection.Box);
            var overlaps = false;
            foreach (var other in shapes)
            {
                if (BoxShape.Intersects(shape, other))
                {
                    overlaps = true;
                    break;
                }
            }
            if (overlaps)
            {
                continue;
            }
            shapes.Add(shape);
            placed.Add(detection);
        }

        var durationS = (_scenario.GetTimeUs(_scenario.NumberOfIterations - 1) - _scenario.GetTimeUs(0)) * 1e-6;
        var tokens = new string[placed.Count];
        var speeds = new double[placed.Count];
        var extensions = new double[placed.Count];
        for (var k = 0; k < placed.Count; k++)
        {
            var v = placed[k].Velocity;
            speeds[k] = double.IsNaN(v.X) || double.IsNaN(v.Y) ? ego.Speed : v.Magnitude;
            tokens[k] = placed[k].TrackToken;
            extensions[k] = Math.Max(speeds[k], _policy.TargetVelocity) * durationS + _options.PathLookAheadM + _options.PathExtensionMarginM;
        }
        var paths = RouteSources.LoggedTracks(_scenario, tokens, extensions);
        _agents = new Agent[placed.Count];
        for (var k = 0; k < placed.Count; k++)
        {
            _agents[k] = new Agent(placed[k], paths[k], speeds[k], 0, _policy);
        }
        _built = true;
    }

    /// <summary>
    /// The devkit's builder on the lane graph: vehicles of iteration 0 snapped to a lane (or, inside an intersection, a
    /// connector), moved onto its baseline and dropped when they then overlap the ego, an open-loop object or an agent
    /// already placed; each targets its first segment's speed limit (else the configured target velocity).
    /// </summary>
    private void BuildOnLanes(NuPlanMap map)
    {
        var vehicle = _scenario.Vehicle;
        var ego = _scenario.GetEgoState(0);
        var shapes = new List<BoxShape> { new(ego.Footprint(vehicle)) };
        foreach (var o in _scenario.GetTrackedObjects(0))
        {
            if (IsOpenLoop(o.Type))
            {
                shapes.Add(new BoxShape(o.Box));
            }
        }
        var durationS = (_scenario.GetTimeUs(_scenario.NumberOfIterations - 1) - _scenario.GetTimeUs(0)) * 1e-6;
        var lights = _scenario.GetTrafficLights(0);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var agents = new List<Agent>();
        foreach (var detection in _scenario.GetTrackedObjects(0))
        {
            if (detection.Type != TrackedObjectType.Vehicle || !seen.Add(detection.Token)
                || LaneAgentRoutes.Snap(map, detection.Box.Center) is not { } segment)
            {
                continue;
            }
            var v = detection.Velocity;
            var speed = double.IsNaN(v.X) || double.IsNaN(v.Y) ? ego.Speed : v.Magnitude;
            var target = segment.SpeedLimitMps is > 0 and var limit ? limit : _options.TargetVelocity;
            var policy = _policy with { TargetVelocity = target };
            var needed = Math.Max(speed, target) * durationS + _options.PathLookAheadM + _options.PathExtensionMarginM;
            var route = LaneAgentRoutes.Build(segment, detection.Box.Center, needed, lights);
            var stopLines = route.Edges.OfType<Maps.Objects.LaneConnector>()
                .SelectMany(c => c.StopLines.Select(l => (c.Fid, new BoxShape(LaneAgentRoutes.StopBox(l)))))
                .ToArray();
            var agent = new Agent(detection, route.Path, speed, route.StartProgress, policy) { StopLines = stopLines.Length > 0 ? stopLines : null };
            var overlaps = false;
            foreach (var other in shapes)
            {
                overlaps |= BoxShape.Intersects(agent.Shape, other);
            }
            if (overlaps)
            {
                continue;
            }
            shapes.Add(agent.Shape);
            agents.Add(agent);
        }
        _agents = [.. agents];
    }

    private struct Agent
    {
        private readonly TrackedObject _initial;

        public Agent(in TrackedObject initial, PathPolyline path, double velocity, double progress, IdmPolicy policy)
        {
            _initial = initial;
            Path = path;
            Velocity = velocity;
            Progress = progress;
            Policy = policy;
            Active = true;
            Place();
        }

        public PathPolyline Path { get; }

        /// <summary>The IDM policy with this agent's target velocity (its lane's speed limit on the lane graph).</summary>
        public IdmPolicy Policy { get; }

        /// <summary>On the lane graph, the stop lines of the signalised connectors on the agent's route, by connector id.</summary>
        public (long Connector, BoxShape Box)[]? StopLines { get; init; }

        public double Progress { get; set; }

        public double Velocity { get; set; }

        public bool Active { get; set; }

        public double Heading { get; private set; }

        public BoxShape Shape { get; private set; }

        public readonly double Length => _initial.Box.Length;

        public readonly double Width => _initial.Box.Width;

        /// <summary>Poses the box at the progress clamped to the path.</summary>
        public void Place()
        {
            var pose = Path.PoseAt(Progress);
            Heading = pose.Heading;
            Shape = new BoxShape(_initial.Box with { Center = pose });
        }

        public readonly TrackedObject ToTrackedObject(long timeUs)
        {
            var pose = new Pose(Shape.Cx, Shape.Cy, Heading);
            var (s, c) = Math.SinCos(Heading);
            return _initial with
            {
                Box = _initial.Box with { Center = pose },
                Velocity = new Vector2(Velocity * c, Velocity * s),
                TimeUs = timeUs,
            };
        }
    }
}
