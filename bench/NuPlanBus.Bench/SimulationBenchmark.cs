using System.Diagnostics;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Bench;

/// <summary>
/// Closed-loop simulations of synthetic scenarios on the calling thread (so the rate is per core): planner, ego
/// controller and observation by configuration name, no callbacks. Scenario data is built before the clock starts.
/// </summary>
public sealed class SimulationBenchmark(string planner, string controller, string observation) : IBenchmark
{
    /// <summary>Distinct scenarios cycled through, so no single layout dominates.</summary>
    private const int DistinctScenarios = 8;

    public string Group => "sim";

    public string Name => $"sim/{planner}+{controller}+{observation}";

    public BenchmarkResult Run(BenchmarkSettings settings)
    {
        var scenarios = new RecordedScenario[DistinctScenarios];
        for (var i = 0; i < scenarios.Length; i++)
        {
            scenarios[i] = SyntheticScenarios.Create(settings.Seed + i);
        }
        for (var i = 0; i < settings.WarmupScenarios; i++)
        {
            RunOne(scenarios[i % scenarios.Length]);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = ProcessCpu();
        var started = Stopwatch.GetTimestamp();
        var plannerSeconds = 0.0;
        var steps = 0;
        for (var i = 0; i < settings.Scenarios; i++)
        {
            var report = RunOne(scenarios[i % scenarios.Length]);
            foreach (var runtime in report.PlannerReport!.ComputeTrajectoryRuntimes)
            {
                plannerSeconds += runtime;
                steps++;
            }
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpu = ProcessCpu() - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var plannerShare = plannerSeconds / elapsed.TotalSeconds;
        return new BenchmarkResult(
            Name,
            settings.Scenarios,
            elapsed,
            cpu,
            allocated,
            [$"planner {plannerSeconds / steps * 1e6:F1} µs/step ({plannerShare:P0} of the time), {steps / settings.Scenarios} steps/scenario"]);
    }

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private Domain.Simulation.RunnerReport RunOne(RecordedScenario scenario)
    {
        var runner = SimulationBuilder.Build(scenario, planner, controller, observation);
        var report = runner.Run();
        if (!report.Succeeded)
        {
            throw new InvalidOperationException($"{Name} failed on scenario {scenario.Token}: {report.ErrorMessage}");
        }
        return report;
    }
}
