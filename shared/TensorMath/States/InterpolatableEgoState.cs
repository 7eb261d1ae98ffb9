using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;

namespace NuPlanBus.TensorMath.States;

/// <summary>
/// The Domain <see cref="EgoState"/> together with its vehicle, in nuPlan's ego split layout:
/// linear <c>[time_us, rear_axle.x, rear_axle.y, vel.x, vel.y, acc.x, acc.y, tire_steering_angle]</c>,
/// angular <c>[rear_axle.heading]</c>, fixed <c>[vehicle_parameters]</c>. A rebuilt state has zero angular
/// velocity, angular acceleration and steering rate, as nuPlan's does.
/// </summary>
public readonly record struct InterpolatableEgoState(EgoState State, VehicleParameters Vehicle)
    : IInterpolatableState<InterpolatableEgoState>
{
    public const int LinearCount = 8;
    public const int AngularCount = 1;
    public const int FixedCount = 1;
    public const int TotalCount = LinearCount + AngularCount + FixedCount;

    public long TimeUs => State.TimeUs;

    public SplitState ToSplitState() => new(
        [
            State.TimeUs,
            State.RearAxle.X,
            State.RearAxle.Y,
            State.RearAxleVelocity.X,
            State.RearAxleVelocity.Y,
            State.RearAxleAcceleration.X,
            State.RearAxleAcceleration.Y,
            State.TireSteeringAngle,
        ],
        [State.RearAxle.Heading],
        [Vehicle]);

    /// <exception cref="InvalidOperationException">The split does not have 10 entries in all (nuPlan's runtime error).</exception>
    /// <exception cref="ArgumentException">10 entries but not split 8/1/1, or the fixed entry is not a <see cref="VehicleParameters"/>.</exception>
    public static InterpolatableEgoState FromSplitState(SplitState split)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split.Length != TotalCount)
        {
            throw new InvalidOperationException($"Expected an ego split state of size {TotalCount}, got {split.Length}.");
        }
        if (split.Linear.Count != LinearCount || split.Angular.Count != AngularCount)
        {
            throw new ArgumentException(
                $"Ego split state must be {LinearCount} linear, {AngularCount} angular and {FixedCount} fixed entries, got " +
                $"{split.Linear.Count}/{split.Angular.Count}/{split.Fixed.Count}.", nameof(split));
        }
        if (split.Fixed[0] is not VehicleParameters vehicle)
        {
            throw new ArgumentException("The fixed entry of an ego split state must be the VehicleParameters.", nameof(split));
        }
        var l = split.Linear;
        var state = new EgoState(
            (long)l[0],
            new Pose(l[1], l[2], split.Angular[0]),
            new Vector2(l[3], l[4]),
            new Vector2(l[5], l[6]),
            l[7]);
        return new InterpolatableEgoState(state, vehicle);
    }
}
