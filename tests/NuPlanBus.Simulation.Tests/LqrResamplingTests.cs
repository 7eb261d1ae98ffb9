using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using NuPlanBus.Simulation.Controllers;

namespace NuPlanBus.Simulation.Tests;

public class LqrResamplingTests
{
    /// <summary>Any trajectory other than InterpolatedTrajectory: the tracker falls back to Interpolate per sample.</summary>
    private sealed class OpaqueTrajectory(ITrajectory inner) : ITrajectory
    {
        public long StartTimeUs => inner.StartTimeUs;

        public long EndTimeUs => inner.EndTimeUs;

        public IReadOnlyList<EgoState> SampledStates => inner.SampledStates;

        public EgoState Interpolate(long timeUs) => inner.Interpolate(timeUs);
    }

    [Fact]
    public void The_sequential_resampling_gives_the_same_command_bits_as_interpolating_each_sample()
    {
        // Irregular times and headings that wrap across ±π exercise the unwrapping and the index walk.
        var states = new EgoState[13];
        for (var i = 0; i < states.Length; i++)
        {
            var t = 1_000_000L + i * 430_000L + (i % 3) * 70_000L;
            var heading = Angles.PrincipalValue(2.9 + 0.11 * i);
            states[i] = new EgoState(t, new Pose(3 * i + 0.2 * i * i, 0.5 * i, heading), new Vector2(6 + 0.1 * i, 0), Vector2.Zero);
        }
        var trajectory = new InterpolatedTrajectory(states);
        var ego = states[0] with { RearAxle = new Pose(0.3, -0.2, 2.85), TireSteeringAngle = 0.03 };

        foreach (var nowUs in new[] { 1_000_000L, 1_250_000L, 2_000_000L })
        {
            var iteration = new SimulationIteration(nowUs, 0);
            var fast = new LqrTracker(VehicleParameters.Pacifica).Track(iteration, ego, trajectory);
            var reference = new LqrTracker(VehicleParameters.Pacifica).Track(iteration, ego, new OpaqueTrajectory(trajectory));
            Assert.Equal(reference, fast);
        }
    }
}
