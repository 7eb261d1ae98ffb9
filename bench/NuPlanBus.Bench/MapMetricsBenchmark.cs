using System.Diagnostics;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Maps;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Bench;

/// <summary>
/// The closed-loop metric set with its map metrics, on scenarios of the generated sample (a log and its map):
/// the map is loaded once (its load time is reported), histories are simulated up front with the IDM planner and
/// IDM agents, then the engine runs on one thread with the map and, in the same run, without it — the ratio is what
/// the map metrics cost.
/// </summary>
public sealed class MapMetricsBenchmark : IBenchmark
{
    public string Group => "metrics";

    public string Name => "metrics/closed_loop_nonreactive_agents with map (sample scenarios, idm_planner + idm_agents histories)";

    public BenchmarkResult Run(BenchmarkSettings settings)
    {
        using var sample = new SampleWithMap("nuplanbus-bench-map-", settings.Seed);
        var inputs = sample.Scenarios.Select(scenario =>
        {
            var runner = SimulationBuilder.Build(scenario, "idm_planner", "two_stage_controller", "idm_agents_observation");
            runner.Run();
            return (Scenario: scenario, History: runner.Simulation.History);
        }).ToArray();

        var catalog = MetricCatalog.CreateDefault();
        var engine = catalog.CreateEngine(catalog.Expand([MetricCatalog.ClosedLoopNonReactiveAgentsSet]));
        var withoutMap = Measure(engine, inputs, null, settings);
        var withMap = Measure(engine, inputs, sample.Map, settings);
        return new BenchmarkResult(Name, settings.Scenarios, withMap.Elapsed, withMap.Cpu, withMap.Allocated,
        [
            $"map load {sample.MapLoad.TotalMilliseconds:0} ms ({sample.Map.Lanes.Count} lanes, {sample.Map.LaneConnectors.Count} lane connectors)",
            $"{engine.Metrics.Count} metrics; with the map {withMap.Elapsed.TotalMilliseconds / settings.Scenarios:0.00} ms per scenario, " +
            $"without {withoutMap.Elapsed.TotalMilliseconds / settings.Scenarios:0.00} ms (ratio {withMap.Elapsed / withoutMap.Elapsed:0.00})",
        ]);
    }

    private static (TimeSpan Elapsed, TimeSpan Cpu, long Allocated) Measure(
        MetricEngine engine, (IScenario Scenario, SimulationHistory History)[] inputs, NuPlanMap? map, BenchmarkSettings settings)
    {
        for (var i = 0; i < settings.WarmupScenarios; i++)
        {
            var (scenario, history) = inputs[i % inputs.Length];
            engine.Compute(new MetricInput(history, scenario, "IDMPlanner", map));
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < settings.Scenarios; i++)
        {
            var (scenario, history) = inputs[i % inputs.Length];
            engine.Compute(new MetricInput(history, scenario, "IDMPlanner", map));
        }
        return (Stopwatch.GetElapsedTime(started), Process.GetCurrentProcess().TotalProcessorTime - cpuBefore,
            GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }
}
