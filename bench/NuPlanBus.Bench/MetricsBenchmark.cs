using System.Diagnostics;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Bench;

/// <summary>
/// Metric computation alone: histories are simulated once up front, then the engine for a metric set runs over
/// them on one thread, as a MetricWorker does per scenario.
/// </summary>
public sealed class MetricsBenchmark(string metricSet) : IBenchmark
{
    private const int DistinctScenarios = 8;

    public string Group => "metrics";

    public string Name => $"metrics/{metricSet} (idm_planner + two_stage + idm_agents histories)";

    public BenchmarkResult Run(BenchmarkSettings settings)
    {
        var inputs = new (RecordedScenario Scenario, SimulationHistory History)[DistinctScenarios];
        for (var i = 0; i < inputs.Length; i++)
        {
            var scenario = SyntheticScenarios.Create(settings.Seed + i);
            var runner = SimulationBuilder.Build(scenario, "idm_planner", "two_stage_controller", "idm_agents_observation");
            runner.Run();
            inputs[i] = (scenario, runner.Simulation.History);
        }
        var catalog = MetricCatalog.CreateDefault();
        var engine = catalog.CreateEngine(catalog.Expand([metricSet]));
        for (var i = 0; i < settings.WarmupScenarios; i++)
        {
            var (scenario, history) = inputs[i % inputs.Length];
            engine.Compute(history, scenario, "IDMPlanner");
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var statistics = 0;
        for (var i = 0; i < settings.Scenarios; i++)
        {
            var (scenario, history) = inputs[i % inputs.Length];
            statistics += engine.Compute(history, scenario, "IDMPlanner").Metrics.Count;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new BenchmarkResult(Name, settings.Scenarios, elapsed, cpu, allocated,
            [$"{engine.Metrics.Count} metrics, {statistics / settings.Scenarios} statistics tables per scenario"]);
    }
}
