using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Domain.States;

/// <summary>
/// The ego vehicle at one instant, referenced to the middle of the rear axle as nuPlan does.
/// Velocity and acceleration are in the vehicle frame. Derived centre quantities follow nuPlan
/// exactly, including its quirk of adding the centripetal and angular terms to the x component only.
/// </summary>
public readonly record struct EgoState(
    long TimeUs,
    Pose RearAxle,
    Vector2 RearAxleVelocity,
    Vector2 RearAxleAcceleration,
    double TireSteeringAngle = 0,
    double AngularVelocity = 0,
    double AngularAcceleration = 0,
    double TireSteeringRate = 0)
{
    public double TimeSeconds => TimeUs * 1e-6;

    /// <summary>|rear-axle velocity|, so a lateral component counts toward speed.</summary>
    public double Speed => RearAxleVelocity.Magnitude;

    /// <summary>|rear-axle acceleration|.</summary>
    public double AccelerationMagnitude => RearAxleAcceleration.Magnitude;

    public Pose Center(VehicleParameters vehicle) => RearAxle.Translate(vehicle.RearAxleToCenter);

    public Vector2 CenterVelocity(VehicleParameters vehicle) =>
        new(RearAxleVelocity.X, RearAxleVelocity.Y + vehicle.RearAxleToCenter * AngularVelocity);

    public Vector2 CenterAcceleration(VehicleParameters vehicle)
    {
        var d = vehicle.RearAxleToCenter;
        return new Vector2(
            RearAxleAcceleration.X + d * AngularVelocity * AngularVelocity + d * AngularAcceleration,
            RearAxleAcceleration.Y);
    }

    public OrientedBox Footprint(VehicleParameters vehicle) =>
        new(Center(vehicle), vehicle.Length, vehicle.Width, vehicle.Height);

    /// <summary>Builds a state from the centre pose, as nuPlan's metric fixtures do.</summary>
    public static EgoState FromCenter(long timeUs, Pose center, Vector2 velocity, Vector2 acceleration, VehicleParameters vehicle) =>
        new(timeUs, center.Translate(-vehicle.RearAxleToCenter), velocity, acceleration);
}
