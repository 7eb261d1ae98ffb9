using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Simulation.Controllers;

/// <summary>
/// nuPlan's KinematicBicycleModel (rear-axle reference, docs/nuplan-simulation.md §3.6.2): first-order lags on the commands,
/// forward Euler with the current pose, velocity and steering; the lateral velocity is dropped.
/// </summary>
public sealed class KinematicBicycleModel
{
    public const double DefaultMaxSteeringAngle = Math.PI / 3.0;
    public const double DefaultAccelerationTimeConstant = 0.2;
    public const double DefaultSteeringAngleTimeConstant = 0.05;

    public KinematicBicycleModel(
        VehicleParameters vehicle,
        double maxSteeringAngle = DefaultMaxSteeringAngle,
        double accelerationTimeConstant = DefaultAccelerationTimeConstant,
        double steeringAngleTimeConstant = DefaultSteeringAngleTimeConstant)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        WheelBase = vehicle.WheelBase;
        MaxSteeringAngle = maxSteeringAngle;
        AccelerationTimeConstant = accelerationTimeConstant;
        SteeringAngleTimeConstant = steeringAngleTimeConstant;
    }

    public double WheelBase { get; }

    public double MaxSteeringAngle { get; }

    public double AccelerationTimeConstant { get; }

    public double SteeringAngleTimeConstant { get; }

    /// <summary>Propagates <paramref name="state"/> by <paramref name="samplingTimeUs"/> towards the desired
    /// longitudinal acceleration and tire steering rate.</summary>
    public EgoState Propagate(in EgoState state, double idealAccelerationX, double idealSteeringRate, long samplingTimeUs)
    {
        if (samplingTimeUs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(samplingTimeUs), samplingTimeUs, "The sampling time must be positive.");
        }
        var dt = samplingTimeUs * 1e-6;

        // Command low-pass (nuPlan's _update_commands).
        var accel = state.RearAxleAcceleration.X;
        var steering = state.TireSteeringAngle;
        var idealSteeringAngle = dt * idealSteeringRate + steering;
        var updatedAccel = dt / (dt + AccelerationTimeConstant) * (idealAccelerationX - accel) + accel;
        var updatedSteeringAngle = dt / (dt + SteeringAngleTimeConstant) * (idealSteeringAngle - steering) + steering;
        var updatedSteeringRate = (updatedSteeringAngle - steering) / dt;

        // Derivatives with the current pose, velocity and steering.
        var v = state.RearAxleVelocity.X;
        var heading = state.RearAxle.Heading;
        var xDot = v * Math.Cos(heading);
        var yDot = v * Math.Sin(heading);
        var yawDot = v * Math.Tan(steering) / WheelBase;

        var nextX = state.RearAxle.X + xDot * dt;
        var nextY = state.RearAxle.Y + yDot * dt;
        var nextHeading = Angles.PrincipalValue(heading + yawDot * dt);
        var nextVelocity = v + updatedAccel * dt;
        var nextSteering = Math.Clamp(steering + updatedSteeringRate * dt, -MaxSteeringAngle, MaxSteeringAngle);
        var angularVelocity = nextVelocity * Math.Tan(nextSteering) / WheelBase;
        var angularAcceleration = (angularVelocity - state.AngularVelocity) / dt;

        return new EgoState(
            state.TimeUs + samplingTimeUs,
            new Pose(nextX, nextY, nextHeading),
            new Vector2(nextVelocity, 0.0),
            new Vector2(updatedAccel, 0.0),
            nextSteering,
            angularVelocity,
            angularAcceleration,
            updatedSteeringRate);
    }
}
