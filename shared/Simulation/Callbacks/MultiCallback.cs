using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Core;

namespace NuPlanBus.Simulation.Callbacks;

/// <summary>Forwards every hook to its members in list order; a member's exception skips the rest and propagates.</summary>
public sealed class MultiCallback : ISimulationCallback
{
    private readonly ISimulationCallback[] _callbacks;

    public MultiCallback(IEnumerable<ISimulationCallback> callbacks)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        _callbacks = callbacks.ToArray();
        for (var i = 0; i < _callbacks.Length; i++)
        {
            if (_callbacks[i] is null)
            {
                throw new ArgumentException($"Callback {i} is null.", nameof(callbacks));
            }
        }
    }

    public IReadOnlyList<ISimulationCallback> Callbacks => _callbacks;

    public void OnSimulationStart(SimulationSetup setup)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnSimulationStart(setup);
        }
    }

    public void OnInitializationStart(SimulationSetup setup, IPlanner planner)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnInitializationStart(setup, planner);
        }
    }

    public void OnInitializationEnd(SimulationSetup setup, IPlanner planner)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnInitializationEnd(setup, planner);
        }
    }

    public void OnStepStart(SimulationSetup setup, IPlanner planner)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnStepStart(setup, planner);
        }
    }

    public void OnPlannerStart(SimulationSetup setup, IPlanner planner)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnPlannerStart(setup, planner);
        }
    }

    public void OnPlannerEnd(SimulationSetup setup, IPlanner planner, ITrajectory trajectory)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnPlannerEnd(setup, planner, trajectory);
        }
    }

    public void OnStepEnd(SimulationSetup setup, IPlanner planner, SimulationHistorySample sample)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnStepEnd(setup, planner, sample);
        }
    }

    public void OnSimulationEnd(SimulationSetup setup, IPlanner planner, SimulationHistory history)
    {
        foreach (var callback in _callbacks)
        {
            callback.OnSimulationEnd(setup, planner, history);
        }
    }
}
