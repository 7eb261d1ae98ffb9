using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Maps;

namespace NuPlanBus.Metrics.Engine;

/// <summary>What every metric reads for one (scenario, planner) simulation; ego states extracted once.</summary>
public sealed class MetricInput
{
    private Dictionary<string, object>? _shared;

    public MetricInput(SimulationHistory history, IScenario scenario, string plannerName, NuPlanMap? map = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentException.ThrowIfNullOrWhiteSpace(plannerName);
        History = history;
        Scenario = scenario;
        PlannerName = plannerName;
        Map = map;
        EgoStates = history.EgoStates();
        TimestampsUs = new long[EgoStates.Length];
        for (var i = 0; i < EgoStates.Length; i++)
        {
            TimestampsUs[i] = EgoStates[i].TimeUs;
        }
    }

    public SimulationHistory History { get; }

    public IScenario Scenario { get; }

    public string PlannerName { get; }

    /// <summary>The scenario's map; null when the run has none, and then the map-based metrics return nothing.</summary>
    public NuPlanMap? Map { get; }

    /// <summary>The history's ego states in order (N − 1 for a scenario of N iterations).</summary>
    public EgoState[] EgoStates { get; }

    public long[] TimestampsUs { get; }

    public VehicleParameters Vehicle => Scenario.Vehicle;

    /// <summary>
    /// A per-scenario analysis that several metrics read (the collision list, the open-loop error matrices),
    /// computed by the first metric that asks and reused by the others. The analysis must be a pure function of
    /// this input and of whatever <paramref name="key"/> encodes, so the result does not depend on which metric
    /// asks first; this replaces the devkit's habit of reading state left on dependency objects.
    /// </summary>
    public T GetShared<T>(string key, Func<MetricInput, T> compute)
        where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(compute);
        _shared ??= new Dictionary<string, object>(StringComparer.Ordinal);
        if (_shared.TryGetValue(key, out var existing))
        {
            return existing as T
                ?? throw new InvalidOperationException($"The shared analysis '{key}' holds a {existing.GetType().Name}, not a {typeof(T).Name}.");
        }
        var result = compute(this);
        _shared[key] = result;
        return result;
    }
}
