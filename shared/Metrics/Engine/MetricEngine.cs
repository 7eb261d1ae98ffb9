using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Engine;

/// <summary>
/// Computes a fixed metric list for one scenario at a time, sequentially: metrics without in-list dependencies
/// first (in configured order), then each metric once everything it depends on has run. Dependencies missing
/// from the list are not computed (build through <see cref="MetricCatalog.CreateEngine"/> to add them).
/// The engine holds no per-scenario state, so one instance can serve a whole run.
/// </summary>
public sealed class MetricEngine
{
    public MetricEngine(IEnumerable<IMetric> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Metrics = Order(metrics.ToList());
    }

    /// <summary>The metrics in computation order.</summary>
    public IReadOnlyList<IMetric> Metrics { get; }

    public IReadOnlyList<string> MetricNames => Metrics.Select(m => m.Name).ToList();

    public ScenarioMetricResult Compute(SimulationHistory history, IScenario scenario, string plannerName) =>
        Compute(new MetricInput(history, scenario, plannerName));

    /// <summary>Runs every metric; the first failure aborts the scenario with a <see cref="MetricComputationException"/>.</summary>
    public ScenarioMetricResult Compute(MetricInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var results = new MetricResults();
        foreach (var metric in Metrics)
        {
            IReadOnlyList<MetricStatistics> statistics;
            try
            {
                statistics = metric.Compute(input, results);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new MetricComputationException(metric.Name, input.Scenario.Token, input.PlannerName, ex);
            }
            results.Add(metric.Name, statistics);
        }
        var scenario = input.Scenario;
        return new ScenarioMetricResult(scenario.LogName, scenario.Token, scenario.ScenarioType, input.PlannerName, results.All.ToList());
    }

    private static IReadOnlyList<IMetric> Order(List<IMetric> metrics)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in metrics)
        {
            if (!names.Add(metric.Name))
            {
                throw new ConfigurationException($"Metric '{metric.Name}' is configured more than once.");
            }
        }
        var ordered = new List<IMetric>(metrics.Count);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var pending = new List<IMetric>(metrics);
        while (pending.Count > 0)
        {
            // One layer per pass, keeping configured order inside a layer (the devkit's low level, then high level).
            var layer = pending.Where(m => m.Dependencies.All(d => done.Contains(d) || !names.Contains(d))).ToList();
            if (layer.Count == 0)
            {
                throw new ConfigurationException(
                    $"Metric dependencies form a cycle among: {string.Join(", ", pending.Select(m => m.Name))}.");
            }
            foreach (var metric in layer)
            {
                ordered.Add(metric);
                pending.Remove(metric);
            }
            foreach (var metric in layer)
            {
                done.Add(metric.Name);
            }
        }
        return ordered;
    }
}
