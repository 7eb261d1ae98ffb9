using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;

namespace NuPlanBus.Simulation.Logs;

/// <summary>Everything needed to recompute metrics for one run: the scenario data, the planner's name and the history.</summary>
public sealed record SimulationLog(int FormatVersion, string PlannerName, RecordedScenario Scenario, SimulationHistory History)
{
    public const string FileExtension = SimulationLogSerializer.FileExtension;

    public static SimulationLog Create(string plannerName, RecordedScenario scenario, SimulationHistory history) =>
        new(SimulationLogSerializer.CurrentFormatVersion, plannerName, scenario, history);
}
