using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Callbacks;
using NuPlanBus.Simulation.Components;
using NuPlanBus.Simulation.Core;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Simulation.Tests;

public class RunnerTests
{
    private sealed class RecordingCallback(List<string> log, string name = "", TimeProvider? clock = null) : ISimulationCallback
    {
        public double? SimulationEndTime { get; private set; }

        public void OnSimulationStart(SimulationSetup setup) => log.Add(name + "SimulationStart");

        public void OnInitializationStart(SimulationSetup setup, IPlanner planner) => log.Add(name + "InitializationStart");

        public void OnInitializationEnd(SimulationSetup setup, IPlanner planner) => log.Add(name + "InitializationEnd");

        public void OnStepStart(SimulationSetup setup, IPlanner planner) => log.Add(name + "StepStart");

        public void OnPlannerStart(SimulationSetup setup, IPlanner planner) => log.Add(name + "PlannerStart");

        public void OnPlannerEnd(SimulationSetup setup, IPlanner planner, ITrajectory trajectory) => log.Add(name + "PlannerEnd");

        public void OnStepEnd(SimulationSetup setup, IPlanner planner, SimulationHistorySample sample) =>
            log.Add(name + $"StepEnd:{sample.Iteration.Index}");

        public void OnSimulationEnd(SimulationSetup setup, IPlanner planner, SimulationHistory history)
        {
            log.Add(name + $"SimulationEnd:{history.Count}");
            if (clock is not null)
            {
                SimulationEndTime = SimulationRunner.UnixSeconds(clock);
            }
        }
    }

    private sealed class ThrowingPlanner(int failAt) : IPlanner
    {
        private readonly IPlanner _inner = new Planners.SimplePlanner(Domain.States.VehicleParameters.Pacifica);

        public string Name => "ThrowingPlanner";

        public void Initialize(PlannerInitialization initialization)
        {
        }

        public ITrajectory ComputeTrajectory(PlannerInput input) =>
            input.Iteration.Index == failAt ? Fail() : _inner.ComputeTrajectory(input);

        private static ITrajectory Fail() => throw new InvalidOperationException("planner exploded");
    }

    private sealed class ThrowingPlannerFactory(int failAt) : IPlannerFactory
    {
        public string Name => "throwing";

        public IPlanner Create(IScenario scenario) => new ThrowingPlanner(failAt);
    }

    [Fact]
    public void Hooks_fire_in_the_runtime_order_and_the_report_carries_one_runtime_per_step()
    {
        var scenario = TestScenarios.Straight(iterations: 4);
        var log = new List<string>();
        var clock = new SteppingClock(1_700_000_000);
        var callback = new RecordingCallback(log, clock: clock);
        var runner = SimulationBuilder.Build(
            scenario, new SimplePlannerFactory(), new TwoStageControllerFactory(), new TracksObservationFactory(), [callback], clock: clock);

        var report = runner.Run();

        string[] expected =
        [
            "SimulationStart", "InitializationStart", "InitializationEnd",
            "StepStart", "PlannerStart", "PlannerEnd", "StepEnd:0",
            "StepStart", "PlannerStart", "PlannerEnd", "StepEnd:1",
            "StepStart", "PlannerStart", "PlannerEnd", "StepEnd:2",
            "SimulationEnd:3",
        ];
        Assert.Equal(expected, log);
        Assert.True(report.Succeeded);
        Assert.Null(report.ErrorMessage);
        Assert.Equal(scenario.Token, report.ScenarioName);
        Assert.Equal(scenario.LogName, report.LogName);
        Assert.Equal("SimplePlanner", report.PlannerName);
        Assert.NotNull(report.PlannerReport);
        Assert.Equal(3, report.PlannerReport!.ComputeTrajectoryRuntimes.Count);
        Assert.All(report.PlannerReport.ComputeTrajectoryRuntimes, t => Assert.True(t >= 0));
        var summary = report.PlannerReport.Summary();
        Assert.False(double.IsNaN(summary.Mean));

        // Start is the first clock read; one read per step; the end time is taken before OnSimulationEnd.
        Assert.Equal(1_700_000_000, report.StartTime);
        Assert.Equal(1_700_000_003, report.EndTime);
        Assert.Equal(1_700_000_004, callback.SimulationEndTime);
        Assert.Equal(3, report.Duration);
    }

    [Fact]
    public void Multi_callback_forwards_in_list_order_and_an_exception_stops_the_rest()
    {
        var log = new List<string>();
        var multi = new MultiCallback([new RecordingCallback(log, "a."), new RecordingCallback(log, "b.")]);
        var scenario = TestScenarios.Straight(iterations: 3);
        var runner = SimulationBuilder.Build(scenario, "simple_planner", "perfect_tracking_controller", "box_observation", [multi]);
        runner.Run();
        Assert.Equal(["a.SimulationStart", "b.SimulationStart", "a.InitializationStart", "b.InitializationStart"], log.Take(4));

        var failing = new MultiCallback([new FailingOnStart(), new RecordingCallback(log, "c.")]);
        log.Clear();
        Assert.Throws<InvalidOperationException>(() => failing.OnSimulationStart(runner.Simulation.Setup));
        Assert.Empty(log);
    }

    private sealed class FailingOnStart : SimulationCallbackBase
    {
        public override void OnSimulationStart(SimulationSetup setup) => throw new InvalidOperationException("callback failed");
    }

    [Fact]
    public void When_the_planner_throws_the_executor_returns_a_failed_report_with_the_stack_trace()
    {
        var scenario = TestScenarios.Straight(iterations: 6);
        var runner = SimulationBuilder.Build(scenario, new ThrowingPlannerFactory(failAt: 2), new PerfectTrackingControllerFactory(), new TracksObservationFactory());

        var before = SimulationRunner.UnixSeconds(TimeProvider.System);
        var report = RunnerExecutor.Run(runner, exitOnFailure: false);

        Assert.False(report.Succeeded);
        Assert.NotNull(report.ErrorMessage);
        Assert.Contains("planner exploded", report.ErrorMessage);
        Assert.Contains("System.InvalidOperationException", report.ErrorMessage);
        Assert.Contains("ThrowingPlanner.Fail", report.ErrorMessage);
        Assert.Contains(" at ", report.ErrorMessage);
        Assert.Null(report.PlannerReport);
        Assert.Equal("ThrowingPlanner", report.PlannerName);
        Assert.Equal(scenario.Token, report.ScenarioName);
        Assert.Equal(scenario.LogName, report.LogName);
        Assert.True(report.StartTime >= before - 1);
        Assert.NotNull(report.EndTime);
        Assert.True(report.EndTime >= report.StartTime);
    }

    [Fact]
    public void When_exit_on_failure_is_set_the_executor_throws_with_the_cause()
    {
        var scenario = TestScenarios.Straight(iterations: 6);
        var runner = SimulationBuilder.Build(scenario, new ThrowingPlannerFactory(failAt: 0), new PerfectTrackingControllerFactory(), new TracksObservationFactory());

        var ex = Assert.Throws<SimulationFailedException>(() => RunnerExecutor.Run(runner, exitOnFailure: true));

        Assert.IsType<InvalidOperationException>(ex.InnerException);
        Assert.Contains("Simulation failed", ex.Message);
        Assert.Equal(scenario.Token, ex.ScenarioName);
    }

    [Fact]
    public void A_successful_run_through_the_executor_is_returned_unchanged()
    {
        var scenario = TestScenarios.Straight(iterations: 5);
        var runner = SimulationBuilder.Build(scenario, "log_future_planner", "log_play_back_controller", "box_observation");
        var report = RunnerExecutor.Run(runner);
        Assert.True(report.Succeeded);
        Assert.Equal("LogFuturePlanner", report.PlannerName);
        Assert.Equal(4, report.PlannerReport!.ComputeTrajectoryRuntimes.Count);
    }

    [Fact]
    public void The_history_has_one_sample_per_planner_step_N_minus_one()
    {
        var scenario = TestScenarios.Straight(iterations: 15);
        var runner = SimulationBuilder.Build(scenario, "simple_planner", "two_stage_controller", "box_observation");
        runner.Run();

        var history = runner.Simulation.History;
        Assert.Equal(14, history.Count);
        for (var i = 0; i < history.Count; i++)
        {
            Assert.Equal(i, history.Samples[i].Iteration.Index);
            Assert.Equal(scenario.GetTimeUs(i), history.Samples[i].Iteration.TimeUs);
            Assert.Same(scenario.GetTrackedObjects(i), history.Samples[i].Observation);
        }
        Assert.Equal(scenario.MapName, history.MapName);
        Assert.Equal(scenario.MissionGoal, history.MissionGoal);
        Assert.False(runner.Simulation.IsRunning);
    }

    [Fact]
    public void Initialization_fills_the_buffer_with_2_1_seconds_of_past_and_the_current_state()
    {
        var scenario = TestScenarios.Straight(iterations: 5);
        var runner = SimulationBuilder.Build(scenario, "simple_planner", "two_stage_controller", "box_observation");
        var init = runner.Simulation.Initialize();

        var buffer = runner.Simulation.HistoryBuffer;
        Assert.Equal(22, buffer.Capacity);
        Assert.Equal(22, buffer.Count);
        Assert.Equal(scenario.GetTimeUs(0) - 2_100_000, buffer.EgoStateAt(0).TimeUs);
        Assert.Equal(scenario.GetTimeUs(0) - 100_000, buffer.EgoStateAt(20).TimeUs);
        Assert.Equal(scenario.GetEgoState(0), buffer.CurrentEgoState);
        Assert.Same(scenario.GetTrackedObjects(0), buffer.CurrentObservation);
        Assert.Equal(scenario.RouteRoadblockIds, init.RouteRoadblockIds);
        Assert.Equal(scenario.MissionGoal, init.MissionGoal);

        var input = runner.Simulation.GetPlannerInput();
        Assert.Equal(new SimulationIteration(scenario.GetTimeUs(0), 0), input.Iteration);
        Assert.Equal(scenario.GetTrafficLights(0), input.TrafficLights);
    }

    [Fact]
    public void Time_controller_reaches_the_end_at_the_last_iteration()
    {
        var scenario = TestScenarios.Straight(iterations: 3);
        var controller = new StepTimeController(scenario);
        controller.Reset();
        Assert.False(controller.ReachedEnd());
        Assert.Equal(new SimulationIteration(scenario.GetTimeUs(1), 1), controller.NextIteration());
        Assert.Null(controller.NextIteration());
        Assert.True(controller.ReachedEnd());
    }

    [Fact]
    public void Unknown_component_names_fail_with_the_known_names()
    {
        var scenario = TestScenarios.Straight(iterations: 3);
        var ex = Assert.Throws<ConfigurationException>(() =>
            SimulationBuilder.Build(scenario, "ml_planner", "two_stage_controller", "box_observation"));
        Assert.Contains("'ml_planner'", ex.Message);
        Assert.Contains("simple_planner, log_future_planner, idm_planner", ex.Message);
    }
}
