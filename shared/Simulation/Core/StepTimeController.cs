using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;

namespace NuPlanBus.Simulation.Core;

/// <summary>Decides which iteration the simulation is at and when it ends.</summary>
public interface ISimulationTimeController
{
    void Reset();

    SimulationIteration GetIteration();

    /// <summary>Advances one iteration; null once the end is reached (the controllers are then not advanced).</summary>
    SimulationIteration? NextIteration();

    bool ReachedEnd();

    int NumberOfIterations { get; }
}

/// <summary>
/// nuPlan's StepSimulationTimeController: one scenario iteration per step. The end is reached at index N − 1,
/// so the planner runs at iterations 0 … N − 2 and the history holds N − 1 samples.
/// </summary>
public sealed class StepTimeController : ISimulationTimeController
{
    private readonly IScenario _scenario;
    private int _index;

    public StepTimeController(IScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _scenario = scenario;
    }

    public int NumberOfIterations => _scenario.NumberOfIterations;

    public int CurrentIndex => _index;

    public void Reset() => _index = 0;

    public SimulationIteration GetIteration() => new(_scenario.GetTimeUs(_index), _index);

    public SimulationIteration? NextIteration()
    {
        _index++;
        return ReachedEnd() ? null : GetIteration();
    }

    public bool ReachedEnd() => _index >= NumberOfIterations - 1;
}
