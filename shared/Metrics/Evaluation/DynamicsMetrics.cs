using NuPlanBus.Metrics.Numerics;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// The eight dynamics metrics (docs/nuplan-simulation.md §4.3.1) with the devkit's production thresholds as defaults; tests and
/// experiments may pass other bounds as the devkit's own tests do.
/// </summary>
public static class DynamicsMetrics
{
    public static WithinBoundMetric EgoAcceleration() => new(
        MetricNames.EgoAcceleration, MetricCategories.Dynamics, MetricUnits.MetersPerSecondSquared,
        input => EgoSignals.Acceleration(input.EgoStates, AccelerationComponent.Magnitude, input.Vehicle));

    public static WithinBoundMetric EgoLonAcceleration(double minLonAccel = -4.05, double maxLonAccel = 2.40) => new(
        MetricNames.EgoLonAcceleration, MetricCategories.Dynamics, MetricUnits.MetersPerSecondSquared,
        input => EgoSignals.Acceleration(input.EgoStates, AccelerationComponent.Longitudinal, input.Vehicle),
        minLonAccel, maxLonAccel);

    public static WithinBoundMetric EgoLatAcceleration(double maxAbsLatAccel = 4.89) => new(
        MetricNames.EgoLatAcceleration, MetricCategories.Dynamics, MetricUnits.MetersPerSecondSquared,
        input => EgoSignals.Acceleration(input.EgoStates, AccelerationComponent.Lateral, input.Vehicle),
        -maxAbsLatAccel, maxAbsLatAccel);

    public static WithinBoundMetric EgoJerk(double maxAbsMagJerk = 8.37) => new(
        MetricNames.EgoJerk, MetricCategories.Dynamics, MetricUnits.MetersPerSecondCubed,
        input => EgoSignals.Jerk(input.EgoStates, AccelerationComponent.Magnitude, input.Vehicle),
        -maxAbsMagJerk, maxAbsMagJerk);

    public static WithinBoundMetric EgoLonJerk(double maxAbsLonJerk = 4.13) => new(
        MetricNames.EgoLonJerk, MetricCategories.Dynamics, MetricUnits.MetersPerSecondCubed,
        input => EgoSignals.Jerk(input.EgoStates, AccelerationComponent.Longitudinal, input.Vehicle),
        -maxAbsLonJerk, maxAbsLonJerk);

    /// <summary>Configured without bounds in the devkit: no boolean statistic.</summary>
    public static WithinBoundMetric EgoLatJerk() => new(
        MetricNames.EgoLatJerk, MetricCategories.Dynamics, MetricUnits.MetersPerSecondCubed,
        input => EgoSignals.Jerk(input.EgoStates, AccelerationComponent.Lateral, input.Vehicle));

    public static WithinBoundMetric EgoYawRate(double maxAbsYawRate = 0.95) => new(
        MetricNames.EgoYawRate, MetricCategories.Dynamics, MetricUnits.RadiansPerSecond,
        input => EgoSignals.YawRate(input.EgoStates),
        -maxAbsYawRate, maxAbsYawRate);

    public static WithinBoundMetric EgoYawAcceleration(double maxAbsYawAccel = 1.93) => new(
        MetricNames.EgoYawAcceleration, MetricCategories.Dynamics, MetricUnits.RadiansPerSecondSquared,
        input => EgoSignals.YawAcceleration(input.EgoStates),
        -maxAbsYawAccel, maxAbsYawAccel);
}
