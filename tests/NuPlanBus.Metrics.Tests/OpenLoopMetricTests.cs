using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Evaluation.OpenLoop;
using NuPlanBus.Metrics.Results;
using static NuPlanBus.Metrics.Tests.MetricTestScenes;

namespace NuPlanBus.Metrics.Tests;

/// <summary>The five open-loop metrics on production-rate scenes (0.05 s log rows, 0.1 s iterations, 1 Hz comparison).</summary>
public class OpenLoopMetricTests
{
    private static IReadOnlyList<MetricStatistics> ComputeAll(MetricInput input) =>
        MetricCatalog.CreateDefault().CreateEngineForSet(MetricCatalog.OpenLoopBoxesSet).Compute(input).Metrics;

    private static MetricStatistics Named(IReadOnlyList<MetricStatistics> results, string name) => results.Single(r => r.Name == name);

    [Fact]
    public void A_plan_that_follows_the_expert_has_zero_errors_and_full_scores()
    {
        var input = OpenLoop(historySamples: 40, logSeconds: 12.5, heading: 0.3);

        var results = ComputeAll(input);

        Assert.Equal(
            [
                MetricNames.PlannerExpertAverageL2ErrorWithinBound, MetricNames.PlannerExpertFinalL2ErrorWithinBound,
                MetricNames.PlannerMissRateWithinBound, MetricNames.PlannerExpertFinalHeadingErrorWithinBound,
                MetricNames.PlannerExpertAverageHeadingErrorWithinBound,
            ],
            results.Select(r => r.Name));
        foreach (var result in results)
        {
            Assert.Equal(1.0, result.MetricScore!.Value, 9);
            Assert.Equal("Planning", result.Category);
        }
        var ade = Named(results, MetricNames.PlannerExpertAverageL2ErrorWithinBound);
        Assert.Equal(
            ["planner_expert_ADE_horizon_3", "planner_expert_ADE_horizon_5", "planner_expert_ADE_horizon_8",
                "planner_expert_average_l2_error_within_bound", "avg_planner_expert_ADE_over_all_horizons"],
            ade.Statistics.Select(s => s.Name));
        Assert.Equal([0, 10, 20, 30], ade.TimeSeries!.SelectedFrames!);
        Assert.Equal([1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L], ade.TimeSeries.TimestampsUs);
        Assert.All(ade.TimeSeries.Values, v => Assert.Equal(0.0, v, 9));
        Assert.Equal("float", ade.MetricScoreUnit);
        var miss = Named(results, MetricNames.PlannerMissRateWithinBound);
        Assert.Equal(["planner_miss_rate_horizon_3", "planner_miss_rate_horizon_5", "planner_miss_rate_horizon_8", "planner_miss_rate_within_bound"],
            miss.Statistics.Select(s => s.Name));
        Assert.Equal("bool", miss.MetricScoreUnit);
        Assert.Null(miss.TimeSeries);
    }

    [Fact]
    public void Heading_errors_wrap_across_pi()
    {
        // Expert heading π − 0.05, plan heading −π + 0.05: 0.1 rad apart, not 2π − 0.1.
        var input = OpenLoop(historySamples: 40, logSeconds: 12.5, heading: Math.PI - 0.05, headingOffset: 0.1);

        var results = ComputeAll(input);

        var ahe = Named(results, MetricNames.PlannerExpertAverageHeadingErrorWithinBound);
        Assert.Equal(0.1, ahe.Statistics.Single(s => s.Name == "avg_planner_expert_AHE_over_all_horizons").Value, 9);
        Assert.Equal(1 - 0.1 / 0.8, ahe.MetricScore!.Value, 9);
        Assert.Equal("avg_planner_expert_AHE_over_all_horizons [radian]", ahe.TimeSeries!.Unit);
        var fhe = Named(results, MetricNames.PlannerExpertFinalHeadingErrorWithinBound);
        Assert.Equal(0.1, fhe.Statistics.Single(s => s.Name == "planner_expert_FHE_horizon_8").Value, 9);
        // The centre sits 1.461 m ahead of the rear axle, so a 0.1 rad heading error moves it by 2·1.461·sin(0.05).
        var ade = Named(results, MetricNames.PlannerExpertAverageL2ErrorWithinBound);
        Assert.Equal(2 * 1.461 * Math.Sin(0.05), ade.Statistics[^1].Value, 6);
    }

    [Fact]
    public void A_laterally_offset_plan_misses_the_short_horizons_only()
    {
        var input = OpenLoop(historySamples: 40, logSeconds: 12.5, heading: 0.0, lateralOffset: 10.0);

        var results = ComputeAll(input);

        var miss = Named(results, MetricNames.PlannerMissRateWithinBound);
        Assert.Equal([1.0, 1.0, 0.0, 0.0], miss.Statistics.Select(s => s.Value));
        Assert.Equal(0.0, miss.MetricScore);
        var fde = Named(results, MetricNames.PlannerExpertFinalL2ErrorWithinBound);
        Assert.Equal(10.0, fde.Statistics[^1].Value, 9);
        Assert.False(fde.Statistics[3].AsBoolean);
        Assert.Equal(0.0, fde.MetricScore);
    }

    [Fact]
    public void A_history_shorter_than_the_horizons_uses_the_logged_future()
    {
        // 1.5 s of history against horizons up to 8 s: the expert list continues with the log's future.
        var input = OpenLoop(historySamples: 15, logSeconds: 10.0, heading: 1.0);

        var results = ComputeAll(input);

        var ade = Named(results, MetricNames.PlannerExpertAverageL2ErrorWithinBound);
        Assert.Equal([0, 10], ade.TimeSeries!.SelectedFrames!);
        Assert.Equal(0.0, ade.Statistics[^1].Value, 9);
    }

    [Fact]
    public void A_plan_slightly_shorter_than_the_horizon_is_compared_at_its_end_time()
    {
        // Plans end 7.5 s ahead: the last comparison point is the plan's end against the expert interpolated there.
        var input = OpenLoop(historySamples: 100, logSeconds: 20.0, heading: -2.0, planSeconds: 7.5);

        var results = ComputeAll(input);

        Assert.Equal(0.0, Named(results, MetricNames.PlannerExpertAverageL2ErrorWithinBound).Statistics[^1].Value, 9);
        Assert.Equal(0.0, Named(results, MetricNames.PlannerExpertFinalHeadingErrorWithinBound).Statistics[^1].Value, 9);
    }

    [Fact]
    public void Without_a_logged_future_the_comparison_fails_loudly_as_in_the_devkit()
    {
        var input = OpenLoop(historySamples: 15, logSeconds: 1.5, heading: 0.0);

        var ex = Assert.Throws<MetricComputationException>(() => ComputeAll(input));

        Assert.Equal(MetricNames.PlannerExpertAverageL2ErrorWithinBound, ex.MetricName);
        Assert.Contains("too short", ex.Message);
    }

    [Fact]
    public void The_matrices_are_computed_once_per_scenario()
    {
        var input = OpenLoop(historySamples: 20, logSeconds: 11.0, heading: 0.0);

        ComputeAll(input);

        Assert.Same(OpenLoopErrors.Of(input, OpenLoopComparison.Default), OpenLoopErrors.Of(input, OpenLoopComparison.Default));
    }
}
