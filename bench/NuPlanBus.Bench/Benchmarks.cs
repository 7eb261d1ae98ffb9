namespace NuPlanBus.Bench;

/// <summary>The registered benchmarks, in run order.</summary>
public static class Benchmarks
{
    public static IReadOnlyList<IBenchmark> All { get; } =
    [
        new SimulationBenchmark("idm_planner", "two_stage_controller", "idm_agents_observation"),
        new MapSimulationBenchmark(),
        new SimulationBenchmark("simple_planner", "two_stage_controller", "box_observation"),
        new SimulationBenchmark("idm_planner", "two_stage_controller", "box_observation"),
        new SimulationBenchmark("simple_planner", "two_stage_controller", "idm_agents_observation"),
        // Breakdown: the loop with the cheapest components, then with IDM agents alone.
        new SimulationBenchmark("log_future_planner", "log_play_back_controller", "box_observation"),
        new SimulationBenchmark("log_future_planner", "log_play_back_controller", "idm_agents_observation"),
        // Metric computation alone, per scenario.
        new MetricsBenchmark("default"),
        new MetricsBenchmark("closed_loop_reactive_agents"),
        new MapMetricsBenchmark(),
        // Batched differentiation on tensors against the metric engine's per-row filter.
        new BatchedDerivativeBenchmark(trajectories: 10_000, samples: 151),
        // Barrier release latency and the scenario-based repartition.
        new BarrierReleaseBenchmark(BarrierKind.File, [2, 8, 32, 64]),
        // moto is one single-threaded Python process serving every poll: its latency grows with the participants.
        new BarrierReleaseBenchmark(BarrierKind.S3, [2, 8, 32, 64]),
        new BarrierReleaseBenchmark(BarrierKind.Broker, [2, 8, 32, 64]),
        new PartitionBenchmark(Tokens: 1_000_000, Nodes: 64),
    ];
}
