using System.Diagnostics;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Maps;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Bench;

/// <summary>
/// The IDM planner on the lane graph with IDM agents and the two-stage controller, on scenarios of the generated sample
/// and its map, on one thread; in the same run the same scenarios without the map (the planner then follows the
/// expert path), so the ratio is what the lane graph costs.
/// </summary>
public sealed class MapSimulationBenchmark : IBenchmark
{
    public string Group => "sim";

    public string Name => "sim/idm_planner on lanes+two_stage_controller+idm_agents_observation (sample scenarios and map)";

    public BenchmarkResult Run(BenchmarkSettings settings)
    {
        using var sample = new SampleWithMap("nuplanbus-bench-sim-map-", settings.Seed);
        var withoutMap = Measure(sample.Scenarios, null, settings);
        var withMap = Measure(sample.Scenarios, sample.Map, settings);
        return new BenchmarkResult(Name, settings.Scenarios, withMap.Elapsed, withMap.Cpu, withMap.Allocated,
        [
            $"planner {withMap.PlannerMicroseconds:F1} µs/step on lanes, {withoutMap.PlannerMicroseconds:F1} µs/step on the expert path; " +
            $"scenario time ratio lanes / expert path {withMap.Elapsed / withoutMap.Elapsed:0.00}",
        ]);
    }

    private static (TimeSpan Elapsed, TimeSpan Cpu, long Allocated, double PlannerMicroseconds) Measure(
        IScenario[] scenarios, NuPlanMap? map, BenchmarkSettings settings)
    {
        for (var i = 0; i < settings.WarmupScenarios; i++)
        {
            RunOne(scenarios[i % scenarios.Length], map);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var plannerSeconds = 0.0;
        var steps = 0;
        for (var i = 0; i < settings.Scenarios; i++)
        {
            var report = RunOne(scenarios[i % scenarios.Length], map);
            foreach (var runtime in report.PlannerReport!.ComputeTrajectoryRuntimes)
            {
                plannerSeconds += runtime;
                steps++;
            }
        }
        return (Stopwatch.GetElapsedTime(started), Process.GetCurrentProcess().TotalProcessorTime - cpuBefore,
            GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, plannerSeconds / steps * 1e6);
    }

    private static Domain.Simulation.RunnerReport RunOne(IScenario scenario, NuPlanMap? map)
    {
        var report = SimulationBuilder.Build(scenario, "idm_planner", "two_stage_controller", "idm_agents_observation", map: map).Run();
        return report.Succeeded ? report : throw new InvalidOperationException($"Scenario {scenario.Token} failed: {report.ErrorMessage}");
    }
}
