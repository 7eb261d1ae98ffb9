using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Simulation;

namespace NuPlanBus.Simulation.Runners;

/// <summary>A simulation failed and the caller asked to stop on failure; the cause is the inner exception.</summary>
public sealed class SimulationFailedException : NuPlanBusException
{
    public SimulationFailedException(string scenarioName, string logName, string plannerName, Exception innerException)
        : base($"Simulation failed: planner {plannerName}, log {logName}, scenario {scenarioName}: {innerException.Message}", innerException)
    {
        ScenarioName = scenarioName;
        LogName = logName;
        PlannerName = plannerName;
    }

    public string ScenarioName { get; }

    public string LogName { get; }

    public string PlannerName { get; }
}

/// <summary>nuPlan's run_simulation proxy (docs/nuplan-runtime.md §8.6): one failing simulation becomes a failed report.</summary>
public static class RunnerExecutor
{
    public static RunnerReport Run(IRunner runner, bool exitOnFailure = false, ILogger? logger = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        clock ??= TimeProvider.System;
        logger ??= NullLogger.Instance;
        var start = SimulationRunner.UnixSeconds(clock);
        try
        {
            return runner.Run();
        }
        catch (Exception ex)
        {
            var scenarioName = runner.Scenario.Token;
            var logName = runner.Scenario.LogName;
            var plannerName = SafePlannerName(runner);
            var trace = ex.ToString();
            logger.LogWarning(
                ex,
                "----------- Simulation failed: with the following trace:\n{Trace}\nSimulation failed with error:\n{Error}\nFailed simulation [log,token]:\n[{LogName}, {ScenarioName}]\n-----------",
                trace,
                ex.Message,
                logName,
                scenarioName);
            if (exitOnFailure)
            {
                throw new SimulationFailedException(scenarioName, logName, plannerName, ex);
            }
            return new RunnerReport(
                Succeeded: false,
                ErrorMessage: trace,
                StartTime: start,
                EndTime: SimulationRunner.UnixSeconds(clock),
                PlannerReport: null,
                ScenarioName: scenarioName,
                PlannerName: plannerName,
                LogName: logName);
        }
    }

    private static string SafePlannerName(IRunner runner)
    {
        try
        {
            return runner.Planner.Name;
        }
        catch (Exception)
        {
            return runner.Planner.GetType().Name;
        }
    }
}
