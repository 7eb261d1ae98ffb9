using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Registries;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Evaluation.OpenLoop;

namespace NuPlanBus.Metrics.Engine;

/// <summary>
/// Metrics and metric sets by name. Registering a name twice, or asking for an unknown one, fails with a
/// <see cref="ConfigurationException"/> that lists the known names. <see cref="CreateDefault"/> holds the built-in
/// metrics with the devkit's production configuration; callers may register more (custom or test metrics).
/// </summary>
public sealed class MetricCatalog
{
    /// <summary>The eight dynamics metrics and ego_is_comfortable.</summary>
    public const string DynamicsSet = "dynamics";

    /// <summary>
    /// Dynamics plus the informational ego_mean_speed and the two expert L2 errors, plus the map-free safety metrics
    /// no_ego_at_fault_collisions and time_to_collision_within_bound.
    /// </summary>
    public const string DefaultSet = "default";

    /// <summary>
    /// The devkit's simulation_closed_loop_nonreactive_agents metrics: ego_lane_change, the six comfort metrics,
    /// ego_progress_along_expert_route, then drivable_area_compliance, no_ego_at_fault_collisions,
    /// time_to_collision_within_bound, speed_limit_compliance, ego_is_comfortable, ego_is_making_progress and
    /// driving_direction_compliance. The map-based ones return nothing for scenarios without a map.
    /// </summary>
    public const string ClosedLoopNonReactiveAgentsSet = "closed_loop_nonreactive_agents";

    /// <summary>The same metrics as <see cref="ClosedLoopNonReactiveAgentsSet"/> (as in the devkit).</summary>
    public const string ClosedLoopReactiveAgentsSet = "closed_loop_reactive_agents";

    /// <summary>The devkit's simulation_open_loop_boxes: the five open-loop planner-vs-expert metrics.</summary>
    public const string OpenLoopBoxesSet = "open_loop_boxes";

    private readonly NamedRegistry<Func<IMetric>> _factories = new("metric");
    private readonly NamedRegistry<IReadOnlyList<string>> _sets = new("metric set");

    public IReadOnlyList<string> Names => _factories.Names;

    public IReadOnlyCollection<string> SetNames => [.. _sets.Names];

    /// <summary>
    /// A catalog with every built-in metric and the sets "dynamics", "default", "closed_loop_nonreactive_agents",
    /// "closed_loop_reactive_agents" and "open_loop_boxes".
    /// </summary>
    public static MetricCatalog CreateDefault()
    {
        var catalog = new MetricCatalog();
        catalog.Register(MetricNames.EgoAcceleration, DynamicsMetrics.EgoAcceleration);
        catalog.Register(MetricNames.EgoLonAcceleration, () => DynamicsMetrics.EgoLonAcceleration());
        catalog.Register(MetricNames.EgoLatAcceleration, () => DynamicsMetrics.EgoLatAcceleration());
        catalog.Register(MetricNames.EgoJerk, () => DynamicsMetrics.EgoJerk());
        catalog.Register(MetricNames.EgoLonJerk, () => DynamicsMetrics.EgoLonJerk());
        catalog.Register(MetricNames.EgoLatJerk, DynamicsMetrics.EgoLatJerk);
        catalog.Register(MetricNames.EgoYawRate, () => DynamicsMetrics.EgoYawRate());
        catalog.Register(MetricNames.EgoYawAcceleration, () => DynamicsMetrics.EgoYawAcceleration());
        catalog.Register(MetricNames.EgoIsComfortable, () => new EgoIsComfortableMetric());
        catalog.Register(MetricNames.EgoMeanSpeed, () => new EgoMeanSpeedMetric());
        catalog.Register(MetricNames.EgoExpertL2Error, () => EgoExpertL2ErrorMetric.Position());
        catalog.Register(MetricNames.EgoExpertL2ErrorWithYaw, () => EgoExpertL2ErrorMetric.WithYaw());
        catalog.Register(MetricNames.NoEgoAtFaultCollisions, () => new NoEgoAtFaultCollisionsMetric());
        catalog.Register(MetricNames.TimeToCollisionWithinBound, () => new TimeToCollisionWithinBoundMetric());
        catalog.Register(MetricNames.PlannerExpertAverageL2ErrorWithinBound, () => PlannerExpertErrorMetric.AverageL2());
        catalog.Register(MetricNames.PlannerExpertFinalL2ErrorWithinBound, () => PlannerExpertErrorMetric.FinalL2());
        catalog.Register(MetricNames.PlannerExpertAverageHeadingErrorWithinBound, () => PlannerExpertErrorMetric.AverageHeading());
        catalog.Register(MetricNames.PlannerExpertFinalHeadingErrorWithinBound, () => PlannerExpertErrorMetric.FinalHeading());
        catalog.Register(MetricNames.PlannerMissRateWithinBound, () => new PlannerMissRateMetric());
        catalog.Register(MetricNames.EgoLaneChange, () => new EgoLaneChangeMetric());
        catalog.Register(MetricNames.DrivableAreaCompliance, () => new DrivableAreaComplianceMetric());
        catalog.Register(MetricNames.DrivingDirectionCompliance, () => new DrivingDirectionComplianceMetric());
        catalog.Register(MetricNames.SpeedLimitCompliance, () => new SpeedLimitComplianceMetric());
        catalog.Register(MetricNames.EgoProgressAlongExpertRoute, () => new EgoProgressAlongExpertRouteMetric());
        catalog.Register(MetricNames.EgoIsMakingProgress, () => new EgoIsMakingProgressMetric());

        string[] dynamics =
        [
            MetricNames.EgoAcceleration, MetricNames.EgoLonAcceleration, MetricNames.EgoLatAcceleration,
            MetricNames.EgoJerk, MetricNames.EgoLonJerk, MetricNames.EgoLatJerk,
            MetricNames.EgoYawRate, MetricNames.EgoYawAcceleration, MetricNames.EgoIsComfortable,
        ];
        catalog.RegisterSet(DynamicsSet, dynamics);
        string[] informational = [MetricNames.EgoMeanSpeed, MetricNames.EgoExpertL2Error, MetricNames.EgoExpertL2ErrorWithYaw];
        string[] safety = [MetricNames.NoEgoAtFaultCollisions, MetricNames.TimeToCollisionWithinBound];
        catalog.RegisterSet(DefaultSet, [.. dynamics, .. informational, .. safety]);

        // The devkit's simulation_closed_loop_(non)reactive_agents lists: low level first, then high level, in its order.
        string[] closedLoop =
        [
            MetricNames.EgoLaneChange, MetricNames.EgoJerk, MetricNames.EgoLatAcceleration, MetricNames.EgoLonAcceleration,
            MetricNames.EgoLonJerk, MetricNames.EgoYawAcceleration, MetricNames.EgoYawRate, MetricNames.EgoProgressAlongExpertRoute,
            MetricNames.DrivableAreaCompliance, MetricNames.NoEgoAtFaultCollisions, MetricNames.TimeToCollisionWithinBound,
            MetricNames.SpeedLimitCompliance, MetricNames.EgoIsComfortable, MetricNames.EgoIsMakingProgress,
            MetricNames.DrivingDirectionCompliance,
        ];
        catalog.RegisterSet(ClosedLoopNonReactiveAgentsSet, closedLoop);
        catalog.RegisterSet(ClosedLoopReactiveAgentsSet, closedLoop);
        catalog.RegisterSet(OpenLoopBoxesSet,
        [
            MetricNames.PlannerExpertAverageL2ErrorWithinBound,
            MetricNames.PlannerExpertFinalL2ErrorWithinBound,
            MetricNames.PlannerMissRateWithinBound,
            MetricNames.PlannerExpertFinalHeadingErrorWithinBound,
            MetricNames.PlannerExpertAverageHeadingErrorWithinBound,
        ]);
        return catalog;
    }

    /// <summary>Registers a metric factory; the metric it builds must carry the registered name.</summary>
    public MetricCatalog Register(string name, Func<IMetric> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factories.Add(name, factory);
        return this;
    }

    public MetricCatalog RegisterSet(string setName, IReadOnlyList<string> metricNames)
    {
        foreach (var name in metricNames)
        {
            _factories.Get(name);
        }
        _sets.Add(setName, metricNames.ToArray());
        return this;
    }

    public bool Contains(string name) => _factories.Contains(name);

    public IMetric Create(string name)
    {
        var metric = _factories.Get(name)();
        if (metric.Name != name)
        {
            throw new ConfigurationException($"The factory registered as '{name}' built a metric named '{metric.Name}'.");
        }
        return metric;
    }

    /// <summary>Expands metric-set names into their metrics, keeping metric names as they are (first occurrence wins).</summary>
    public IReadOnlyList<string> Expand(IEnumerable<string> metricOrSetNames)
    {
        ArgumentNullException.ThrowIfNull(metricOrSetNames);
        var expanded = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in metricOrSetNames)
        {
            if (!_sets.Contains(name) && !_factories.Contains(name))
            {
                throw new ConfigurationException(
                    $"Unknown metric or metric set '{name}'. Known sets: {_sets.KnownNames}. Known metrics: {_factories.KnownNames}.");
            }
            var names = _sets.TryGet(name, out var set) ? set : [name];
            foreach (var metric in names)
            {
                if (seen.Add(metric))
                {
                    expanded.Add(metric);
                }
            }
        }
        return expanded;
    }

    public IReadOnlyList<string> GetSet(string setName) => _sets.Get(setName);

    /// <summary>
    /// An engine for the given metric names, in configured order; any dependency not listed is added (after the
    /// listed metrics) so high-level metrics see their inputs. A name listed twice fails.
    /// </summary>
    public MetricEngine CreateEngine(IEnumerable<string> metricNames)
    {
        ArgumentNullException.ThrowIfNull(metricNames);
        var requested = metricNames.ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in requested)
        {
            _factories.Get(name);
            if (!seen.Add(name))
            {
                throw new ConfigurationException($"Metric '{name}' is listed more than once.");
            }
        }
        var metrics = requested.Select(Create).ToList();
        for (var i = 0; i < metrics.Count; i++)
        {
            foreach (var dependency in metrics[i].Dependencies)
            {
                if (seen.Add(dependency))
                {
                    metrics.Add(Create(dependency));
                }
            }
        }
        return new MetricEngine(metrics);
    }

    public MetricEngine CreateEngineForSet(string setName) => CreateEngine(GetSet(setName));
}
