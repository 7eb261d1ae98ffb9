using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Results;
using NuPlanBus.Simulation.Components;

namespace NuPlanBus.Pipeline.Tests;

/// <summary>The simple planner, except that it throws at its fifth step on one chosen scenario.</summary>
public sealed class FaultyPlannerFactory(string failingToken) : IPlannerFactory
{
    public const string ConfigName = "faulty_planner";
    public const string Failure = "planner exploded on purpose";

    public string Name => ConfigName;

    public IPlanner Create(IScenario scenario) =>
        new FaultyPlanner(new SimplePlannerFactory().Create(scenario), scenario.Token == failingToken);

    private sealed class FaultyPlanner(IPlanner inner, bool fails) : IPlanner
    {
        public string Name => "FaultyPlanner";

        public void Initialize(PlannerInitialization initialization) => inner.Initialize(initialization);

        public ITrajectory ComputeTrajectory(PlannerInput input) =>
            fails && input.Iteration.Index == 5 ? throw new InvalidOperationException(Failure) : inner.ComputeTrajectory(input);
    }
}

/// <summary>A metric that fails for one chosen scenario and reports a constant for the others.</summary>
public sealed class FaultyMetric(string failingToken) : IMetric
{
    public const string ConfigName = "faulty_metric";
    public const string Failure = "metric callback exploded on purpose";

    public string Name => ConfigName;

    public string Category => "Test";

    public IReadOnlyList<string> Dependencies => [];

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar) =>
        input.Scenario.Token == failingToken
            ? throw new InvalidOperationException(Failure)
            : [new MetricStatistics(Name, Name, Category, [new Statistic(Name, "count", StatisticType.VALUE, input.EgoStates.Length)], null, null, null)];
}
