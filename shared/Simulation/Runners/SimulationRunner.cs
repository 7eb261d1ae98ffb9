using System.Diagnostics;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Callbacks;
using NuPlanBus.Simulation.Core;

namespace NuPlanBus.Simulation.Runners;

/// <summary>Something the executor can run and name when it fails (nuPlan's AbstractRunner).</summary>
public interface IRunner
{
    IScenario Scenario { get; }

    IPlanner Planner { get; }

    RunnerReport Run();
}

/// <summary>
/// Runs one simulation with one planner in exactly the order of docs/nuplan-runtime.md §8.4. Exceptions escape to the
/// executor (<see cref="RunnerExecutor"/>). Times are wall-clock Unix seconds.
/// </summary>
public sealed class SimulationRunner : IRunner
{
    private readonly TimeProvider _clock;

    public SimulationRunner(ScenarioSimulation simulation, IPlanner planner, ISimulationCallback? callback = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(planner);
        Simulation = simulation;
        Planner = planner;
        Callback = callback ?? new MultiCallback([]);
        _clock = clock ?? TimeProvider.System;
    }

    public ScenarioSimulation Simulation { get; }

    public IPlanner Planner { get; }

    public ISimulationCallback Callback { get; }

    public IScenario Scenario => Simulation.Scenario;

    public RunnerReport Run()
    {
        var startTime = UnixSeconds(_clock);
        double? endTime = null;
        var setup = Simulation.Setup;
        var runtimes = new List<double>(Math.Max(0, Scenario.NumberOfIterations - 1));

        Callback.OnSimulationStart(setup);
        Callback.OnInitializationStart(setup, Planner);
        var initialization = Simulation.Initialize();
        Planner.Initialize(initialization);
        Callback.OnInitializationEnd(setup, Planner);

        while (Simulation.IsRunning)
        {
            Callback.OnStepStart(setup, Planner);
            var input = Simulation.GetPlannerInput();
            Callback.OnPlannerStart(setup, Planner);
            var trajectory = ComputeTimed(input, runtimes);
            Callback.OnPlannerEnd(setup, Planner, trajectory);
            Simulation.Propagate(trajectory);
            Callback.OnStepEnd(setup, Planner, Simulation.History.Last());
            var now = UnixSeconds(_clock);
            if (!Simulation.IsRunning)
            {
                endTime = now;
            }
        }

        Callback.OnSimulationEnd(setup, Planner, Simulation.History);
        return new RunnerReport(
            Succeeded: true,
            ErrorMessage: null,
            StartTime: startTime,
            EndTime: endTime,
            PlannerReport: new PlannerReport(runtimes),
            ScenarioName: Scenario.Token,
            PlannerName: Planner.Name,
            LogName: Scenario.LogName);
    }

    /// <summary>Wall-clock Unix seconds with sub-millisecond resolution.</summary>
    public static double UnixSeconds(TimeProvider clock) =>
        (clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)TimeSpan.TicksPerSecond;

    private ITrajectory ComputeTimed(PlannerInput input, List<double> runtimes)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return Planner.ComputeTrajectory(input);
        }
        finally
        {
            runtimes.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }
}
