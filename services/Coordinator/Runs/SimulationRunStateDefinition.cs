using NuPlanBus.Persistence.Sagas;

namespace NuPlanBus.Coordinator.Runs;

/// <summary>The run saga's endpoint: retries on version conflicts around the in-memory outbox.</summary>
public sealed class SimulationRunStateDefinition : PersistentSagaDefinition<SimulationRunState>
{
    public SimulationRunStateDefinition() => EndpointName = "simulation-run-state";
}
