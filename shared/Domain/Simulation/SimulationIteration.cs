namespace NuPlanBus.Domain.Simulation;

public readonly record struct SimulationIteration(long TimeUs, int Index);
