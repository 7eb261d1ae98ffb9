using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Core;

namespace NuPlanBus.Simulation.Callbacks;

/// <summary>nuPlan's AbstractCallback: eight hooks, called in the order of docs/nuplan-runtime.md §8.4.</summary>
public interface ISimulationCallback
{
    void OnSimulationStart(SimulationSetup setup);

    void OnInitializationStart(SimulationSetup setup, IPlanner planner);

    void OnInitializationEnd(SimulationSetup setup, IPlanner planner);

    void OnStepStart(SimulationSetup setup, IPlanner planner);

    void OnPlannerStart(SimulationSetup setup, IPlanner planner);

    void OnPlannerEnd(SimulationSetup setup, IPlanner planner, ITrajectory trajectory);

    void OnStepEnd(SimulationSetup setup, IPlanner planner, SimulationHistorySample sample);

    void OnSimulationEnd(SimulationSetup setup, IPlanner planner, SimulationHistory history);
}

/// <summary>A callback that ignores every hook it does not override.</summary>
public abstract class SimulationCallbackBase : ISimulationCallback
{
    public virtual void OnSimulationStart(SimulationSetup setup)
    {
    }

    public virtual void OnInitializationStart(SimulationSetup setup, IPlanner planner)
    {
    }

    public virtual void OnInitializationEnd(SimulationSetup setup, IPlanner planner)
    {
    }

    public virtual void OnStepStart(SimulationSetup setup, IPlanner planner)
    {
    }

    public virtual void OnPlannerStart(SimulationSetup setup, IPlanner planner)
    {
    }

    public virtual void OnPlannerEnd(SimulationSetup setup, IPlanner planner, ITrajectory trajectory)
    {
    }

    public virtual void OnStepEnd(SimulationSetup setup, IPlanner planner, SimulationHistorySample sample)
    {
    }

    public virtual void OnSimulationEnd(SimulationSetup setup, IPlanner planner, SimulationHistory history)
    {
    }
}
