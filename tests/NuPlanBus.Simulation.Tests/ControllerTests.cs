using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Controllers;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.Simulation.Tests;

public class ControllerTests
{
    private static readonly VehicleParameters Vehicle = VehicleParameters.Pacifica;

    [Fact]
    public void Bicycle_model_single_step_matches_the_hand_computation()
    {
        var model = new KinematicBicycleModel(Vehicle);
        var state = new EgoState(1_000_000, new Pose(1, 2, 0.3), new Vector2(5, 0.7), new Vector2(0.5, 0.2), 0.1, 0.2, 0.0, 0.0);

        var next = model.Propagate(state, 1.0, 0.2, 100_000);

        var accel = 0.5 + 0.1 / (0.1 + 0.2) * (1.0 - 0.5);
        var steeringFiltered = 0.1 + 0.1 / (0.1 + 0.05) * (0.1 + 0.1 * 0.2 - 0.1);
        var steeringRate = (steeringFiltered - 0.1) / 0.1;
        var steering = 0.1 + steeringRate * 0.1;
        var velocity = 5 + accel * 0.1;
        var omega = velocity * Math.Tan(steering) / 3.089;
        Assert.Equal(1_100_000, next.TimeUs);
        Assert.Equal(1 + 5 * Math.Cos(0.3) * 0.1, next.RearAxle.X, 12);
        Assert.Equal(2 + 5 * Math.Sin(0.3) * 0.1, next.RearAxle.Y, 12);
        Assert.Equal(0.3 + 5 * Math.Tan(0.1) / 3.089 * 0.1, next.RearAxle.Heading, 12);
        Assert.Equal(velocity, next.RearAxleVelocity.X, 12);
        Assert.Equal(0.0, next.RearAxleVelocity.Y);
        Assert.Equal(accel, next.RearAxleAcceleration.X, 12);
        Assert.Equal(0.0, next.RearAxleAcceleration.Y);
        Assert.Equal(steering, next.TireSteeringAngle, 12);
        Assert.Equal(steeringRate, next.TireSteeringRate, 12);
        Assert.Equal(omega, next.AngularVelocity, 12);
        Assert.Equal((omega - 0.2) / 0.1, next.AngularAcceleration, 10);
        Assert.Equal(0.6666666666666666, accel, 12);
    }

    [Fact]
    public void Bicycle_model_clips_steering_and_wraps_heading()
    {
        var model = new KinematicBicycleModel(Vehicle);
        var state = new EgoState(0, new Pose(0, 0, Math.PI - 0.001), new Vector2(10, 0), Vector2.Zero, 1.04);
        var next = model.Propagate(state, 0, 5.0, 100_000);
        Assert.Equal(Math.PI / 3, next.TireSteeringAngle, 12);
        Assert.True(next.RearAxle.Heading < 0);
    }

    [Fact]
    public void Perfect_tracking_follows_a_straight_plan_exactly()
    {
        var scenario = TestScenarios.Straight(iterations: 30, speed: 4.0);
        var runner = SimulationBuilder.Build(scenario, "simple_planner", "perfect_tracking_controller", "box_observation");
        runner.Run();

        var samples = runner.Simulation.History.Samples;
        var start = scenario.GetEgoState(0);
        var (s, c) = Math.SinCos(0.3);
        for (var i = 0; i < samples.Count; i++)
        {
            var ego = samples[i].EgoState;
            var t = i * 0.1;
            Assert.Equal(scenario.GetTimeUs(i), ego.TimeUs);
            Assert.Equal(start.RearAxle.X + c * 4.0 * t, ego.RearAxle.X, 9);
            Assert.Equal(start.RearAxle.Y + s * 4.0 * t, ego.RearAxle.Y, 9);
            Assert.Equal(0.3, ego.RearAxle.Heading, 12);
            Assert.Equal(4.0, ego.RearAxleVelocity.X, 12);
        }
    }

    [Fact]
    public void Perfect_tracking_fails_clearly_at_50_metres_per_second()
    {
        var scenario = TestScenarios.Straight(iterations: 5);
        var controller = new PerfectTrackingController(scenario);
        var fast = new InterpolatedTrajectory(
        [
            new EgoState(scenario.GetTimeUs(0), new Pose(0, 0, 0), new Vector2(50, 0), Vector2.Zero),
            new EgoState(scenario.GetTimeUs(0) + 1_000_000, new Pose(50, 0, 0), new Vector2(50, 0), Vector2.Zero),
        ]);
        var ex = Assert.Throws<InvalidOperationException>(() => controller.UpdateState(
            new SimulationIteration(scenario.GetTimeUs(0), 0), new SimulationIteration(scenario.GetTimeUs(1), 1), scenario.GetEgoState(0), fast));
        Assert.Contains("50", ex.Message);
    }

    [Fact]
    public void Log_playback_reproduces_the_expert()
    {
        var scenario = TestScenarios.Straight(iterations: 12);
        var runner = SimulationBuilder.Build(scenario, "simple_planner", "log_play_back_controller", "box_observation");
        runner.Run();
        var samples = runner.Simulation.History.Samples;
        Assert.Equal(11, samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            Assert.Equal(scenario.ExpertTrajectory[i], samples[i].EgoState);
        }
    }

    [Fact]
    public void Log_future_planner_with_perfect_tracking_reproduces_the_expert_at_iteration_times()
    {
        var scenario = TestScenarios.Straight(iterations: 40, speed: 12.0);
        var runner = SimulationBuilder.Build(scenario, "log_future_planner", "perfect_tracking_controller", "box_observation");
        runner.Run();
        var samples = runner.Simulation.History.Samples;
        for (var i = 0; i < samples.Count; i++)
        {
            var ego = samples[i].EgoState;
            var expert = scenario.ExpertTrajectory[i];
            Assert.Equal(expert.TimeUs, ego.TimeUs);
            Assert.Equal(expert.RearAxle.X, ego.RearAxle.X, 9);
            Assert.Equal(expert.RearAxle.Y, ego.RearAxle.Y, 9);
            Assert.Equal(expert.RearAxle.Heading, ego.RearAxle.Heading, 12);
            Assert.Equal(expert.RearAxleVelocity.X, ego.RearAxleVelocity.X, 9);
            Assert.Equal(17, samples[i].Trajectory.SampledStates.Count);
        }
    }

    [Fact]
    public void Lqr_and_bicycle_track_a_straight_constant_speed_reference_closely()
    {
        var scenario = TestScenarios.Straight(iterations: 100, speed: 10.0);
        var runner = SimulationBuilder.Build(scenario, "log_future_planner", "two_stage_controller", "box_observation");
        runner.Run();
        var samples = runner.Simulation.History.Samples;
        var maxError = 0.0;
        for (var i = 0; i < samples.Count; i++)
        {
            maxError = Math.Max(maxError, samples[i].EgoState.RearAxle.DistanceTo(scenario.ExpertTrajectory[i].RearAxle));
            Assert.Equal(10.0, samples[i].EgoState.RearAxleVelocity.X, 6);
        }
        Assert.True(maxError < 1e-6, $"max position error {maxError}");
    }

    [Fact]
    public void Lqr_converges_to_the_reference_from_a_lateral_offset()
    {
        var scenario = TestScenarios.Straight(iterations: 5, speed: 8.0, heading: 0.0);
        var tracker = new LqrTracker(Vehicle);
        var model = new KinematicBicycleModel(Vehicle);
        var plan = StraightPlan(scenario.GetTimeUs(0), 8.0, 0.0, 20.0);
        var ego = new EgoState(scenario.GetTimeUs(0), new Pose(0, 0.5, 0), new Vector2(8, 0), Vector2.Zero);
        for (var k = 0; k < 100; k++)
        {
            var now = new SimulationIteration(ego.TimeUs, k);
            var command = tracker.Track(now, ego, plan);
            ego = model.Propagate(ego, command.Acceleration, command.SteeringRate, 100_000);
        }
        Assert.True(Math.Abs(ego.RearAxle.Y) < 0.05, $"lateral error after 10 s: {ego.RearAxle.Y}");
        Assert.Equal(8.0, ego.RearAxleVelocity.X, 2);
    }

    [Fact]
    public void Lqr_uses_the_stopping_controller_near_standstill_and_brings_the_ego_to_a_stop()
    {
        var t0 = 5_000_000L;
        var stationary = new InterpolatedTrajectory(
        [
            new EgoState(t0, new Pose(3, 4, 0.5), Vector2.Zero, Vector2.Zero),
            new EgoState(t0 + 8_000_000, new Pose(3, 4, 0.5), Vector2.Zero, Vector2.Zero),
        ]);
        var tracker = new LqrTracker(Vehicle);
        var ego = new EgoState(t0, new Pose(3, 4, 0.5), new Vector2(0.15, 0), Vector2.Zero);

        var command = tracker.Track(new SimulationIteration(t0, 0), ego, stationary);

        Assert.True(tracker.LastWasStopping);
        Assert.Equal(0.0, tracker.LastReferenceVelocity, 12);
        Assert.Equal(-0.5 * 0.15, command.Acceleration, 12);
        Assert.Equal(0.0, command.SteeringRate);

        var model = new KinematicBicycleModel(Vehicle);
        for (var k = 0; k < 60; k++)
        {
            command = tracker.Track(new SimulationIteration(ego.TimeUs, k), ego, stationary);
            ego = model.Propagate(ego, command.Acceleration, command.SteeringRate, 100_000);
        }
        Assert.True(Math.Abs(ego.RearAxleVelocity.X) < 0.01, $"speed {ego.RearAxleVelocity.X}");
    }

    [Fact]
    public void Longitudinal_lqr_gives_ten_elevenths_of_the_speed_error()
    {
        var t0 = 0L;
        var plan = StraightPlan(t0, 10.0, 0.0, 5.0);
        var tracker = new LqrTracker(Vehicle);
        var ego = new EgoState(t0, new Pose(0, 0, 0), new Vector2(8, 0), Vector2.Zero);
        var command = tracker.Track(new SimulationIteration(t0, 0), ego, plan);
        Assert.False(tracker.LastWasStopping);
        Assert.Equal(10.0, tracker.LastReferenceVelocity, 9);
        Assert.Equal(10.0 / 11.0 * 2.0, command.Acceleration, 9);
        Assert.Equal(0.0, command.SteeringRate, 12);
    }

    [Fact]
    public void Profile_fit_matches_the_dense_devkit_normal_equations()
    {
        // A curving, accelerating path with some jitter, sampled every 0.1 s.
        const int n = 61;
        const double dt = 0.1;
        var xs = new double[n];
        var ys = new double[n];
        var hs = new double[n];
        double x = 0, y = 0, h = 3.0, v = 3.0;
        for (var k = 0; k < n; k++)
        {
            xs[k] = x + 0.01 * Math.Sin(7 * k);
            ys[k] = y + 0.01 * Math.Cos(5 * k);
            hs[k] = Angles.PrincipalValue(h + 0.002 * Math.Sin(3 * k));
            var kappa = 0.05 * Math.Sin(0.1 * k);
            x += v * Math.Cos(h) * dt;
            y += v * Math.Sin(h) * dt;
            h += v * kappa * dt;
            v += 0.8 * dt;
        }
        var velocity = new double[n - 1];
        var curvature = new double[n - 1];
        new ProfileFitter().Fit(xs, ys, hs, dt, 1e-4, 1e-2, 1e-10, velocity, curvature);

        var (refVelocity, refCurvature) = DenseDevkitFit(xs, ys, hs, dt, 1e-4, 1e-2, 1e-10);
        for (var k = 0; k < n - 1; k++)
        {
            Assert.Equal(refVelocity[k], velocity[k], 8);
            Assert.Equal(refCurvature[k], curvature[k], 8);
        }
    }

    [Fact]
    public void Interp_clamps_like_numpy()
    {
        double[] xp = [0.0, 1.0, 2.0];
        double[] fp = [1.0, 3.0, 7.0];
        Assert.Equal(1.0, LqrTracker.Interp(-1, xp, fp));
        Assert.Equal(7.0, LqrTracker.Interp(5, xp, fp));
        Assert.Equal(2.0, LqrTracker.Interp(0.5, xp, fp));
        Assert.Equal(3.0, LqrTracker.Interp(1.0, xp, fp));
        Assert.Equal(5.0, LqrTracker.Interp(1.5, xp, fp));
    }

    internal static InterpolatedTrajectory StraightPlan(long t0, double speed, double heading, double durationS)
    {
        var count = (int)(durationS / 0.5) + 1;
        var states = new EgoState[count];
        var (s, c) = Math.SinCos(heading);
        for (var i = 0; i < count; i++)
        {
            var t = i * 0.5;
            states[i] = new EgoState(t0 + i * 500_000L, new Pose(c * speed * t, s * speed * t, heading), new Vector2(speed, 0), Vector2.Zero);
        }
        return new InterpolatedTrajectory(states);
    }

    /// <summary>The devkit's formulation: dense A, penalties, x = (AᵀA + P)⁻¹ Aᵀ y, solved by Gaussian elimination.</summary>
    private static (double[] Velocity, double[] Curvature) DenseDevkitFit(
        double[] xs, double[] ys, double[] hs, double dt, double jerk, double curvatureRate, double initialCurvature)
    {
        var m = xs.Length - 1;
        var a = new double[2 * m, m];
        var y = new double[2 * m];
        for (var k = 0; k < m; k++)
        {
            y[2 * k] = xs[k + 1] - xs[k];
            y[2 * k + 1] = ys[k + 1] - ys[k];
            a[2 * k, 0] = Math.Cos(hs[k]) * dt;
            a[2 * k + 1, 0] = Math.Sin(hs[k]) * dt;
            for (var j = 1; j <= k; j++)
            {
                a[2 * k, j] = Math.Cos(hs[k]) * dt * dt;
                a[2 * k + 1, j] = Math.Sin(hs[k]) * dt * dt;
            }
        }
        var r = new double[m - 2, m];
        for (var i = 0; i < m - 2; i++)
        {
            r[i, i + 1] = -1;
            r[i, i + 2] = 1;
        }
        var normal = AtA(a, 2 * m, m);
        var rtr = AtA(r, m - 2, m);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < m; j++)
            {
                normal[i, j] += jerk * rtr[i, j];
            }
        }
        var solution = Solve(normal, Aty(a, y, 2 * m, m));
        var velocity = new double[m];
        velocity[0] = solution[0];
        var sum = 0.0;
        for (var k = 1; k < m; k++)
        {
            sum += solution[k] * dt;
            velocity[k] = solution[0] + sum;
        }

        var ac = new double[m, m];
        var yc = new double[m];
        for (var k = 0; k < m; k++)
        {
            yc[k] = Angles.PrincipalValue(hs[k + 1] - hs[k]);
            ac[k, 0] = velocity[k] * dt;
            for (var j = 1; j <= k; j++)
            {
                ac[k, j] = velocity[k] * dt * dt;
            }
        }
        var normalC = AtA(ac, m, m);
        for (var i = 0; i < m; i++)
        {
            normalC[i, i] += i == 0 ? initialCurvature : curvatureRate;
        }
        var sc = Solve(normalC, Aty(ac, yc, m, m));
        var curvature = new double[m];
        curvature[0] = sc[0];
        sum = 0.0;
        for (var k = 1; k < m; k++)
        {
            sum += sc[k] * dt;
            curvature[k] = sc[0] + sum;
        }
        return (velocity, curvature);
    }

    private static double[,] AtA(double[,] a, int rows, int cols)
    {
        var result = new double[cols, cols];
        for (var i = 0; i < cols; i++)
        {
            for (var j = 0; j < cols; j++)
            {
                var s = 0.0;
                for (var k = 0; k < rows; k++)
                {
                    s += a[k, i] * a[k, j];
                }
                result[i, j] = s;
            }
        }
        return result;
    }

    private static double[] Aty(double[,] a, double[] y, int rows, int cols)
    {
        var result = new double[cols];
        for (var i = 0; i < cols; i++)
        {
            for (var k = 0; k < rows; k++)
            {
                result[i] += a[k, i] * y[k];
            }
        }
        return result;
    }

    private static double[] Solve(double[,] matrix, double[] rhs)
    {
        var n = rhs.Length;
        var m = (double[,])matrix.Clone();
        var b = (double[])rhs.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var row = col + 1; row < n; row++)
            {
                if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col]))
                {
                    pivot = row;
                }
            }
            for (var j = 0; j < n; j++)
            {
                (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            }
            (b[col], b[pivot]) = (b[pivot], b[col]);
            for (var row = col + 1; row < n; row++)
            {
                var f = m[row, col] / m[col, col];
                for (var j = col; j < n; j++)
                {
                    m[row, j] -= f * m[col, j];
                }
                b[row] -= f * b[col];
            }
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var j = i + 1; j < n; j++)
            {
                s -= m[i, j] * x[j];
            }
            x[i] = s / m[i, i];
        }
        return x;
    }
}
