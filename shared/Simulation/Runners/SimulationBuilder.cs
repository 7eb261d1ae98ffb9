using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Maps;
using NuPlanBus.Simulation.Callbacks;
using NuPlanBus.Simulation.Components;
using NuPlanBus.Simulation.Core;

namespace NuPlanBus.Simulation.Runners;

/// <summary>Builds a runner per (scenario, planner) from component factories: every run gets fresh, unshared components.</summary>
public static class SimulationBuilder
{
    public static SimulationRunner Build(
        IScenario scenario,
        IPlannerFactory plannerFactory,
        IEgoControllerFactory egoControllerFactory,
        IObservationFactory observationFactory,
        IEnumerable<ISimulationCallback>? callbacks = null,
        double historyBufferDurationS = ScenarioSimulation.DefaultHistoryBufferDurationS,
        TimeProvider? clock = null,
        NuPlanMap? map = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(plannerFactory);
        ArgumentNullException.ThrowIfNull(egoControllerFactory);
        ArgumentNullException.ThrowIfNull(observationFactory);
        var setup = new SimulationSetup(
            scenario,
            new StepTimeController(scenario),
            observationFactory is IMapObservationFactory mapAware ? mapAware.Create(scenario, map) : observationFactory.Create(scenario),
            egoControllerFactory.Create(scenario));
        var simulation = new ScenarioSimulation(setup, historyBufferDurationS);
        var planner = plannerFactory is IMapPlannerFactory mapPlanner ? mapPlanner.Create(scenario, map) : plannerFactory.Create(scenario);
        return new SimulationRunner(simulation, planner, new MultiCallback(callbacks ?? []), clock);
    }

    /// <summary>Builds from configuration names looked up among the built-in components (unknown names throw ConfigurationException).</summary>
    public static SimulationRunner Build(
        IScenario scenario,
        string plannerName,
        string egoControllerName,
        string observationName,
        IEnumerable<ISimulationCallback>? callbacks = null,
        double historyBufferDurationS = ScenarioSimulation.DefaultHistoryBufferDurationS,
        NuPlanMap? map = null) =>
        Build(
            scenario,
            BuiltInComponents.PlannerRegistry().Get(plannerName),
            BuiltInComponents.EgoControllerRegistry().Get(egoControllerName),
            BuiltInComponents.ObservationRegistry().Get(observationName),
            callbacks,
            historyBufferDurationS,
            map: map);
}
