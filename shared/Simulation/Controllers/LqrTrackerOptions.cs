namespace NuPlanBus.Simulation.Controllers;

/// <summary>nuPlan's lqr_tracker configuration (docs/nuplan-simulation.md §3.6.1); the defaults are the devkit's.</summary>
public sealed record LqrTrackerOptions
{
    public double QLongitudinal { get; init; } = 10.0;

    public double RLongitudinal { get; init; } = 1.0;

    /// <summary>Weights of lateral error, heading error and steering angle.</summary>
    public double QLateralError { get; init; } = 1.0;

    public double QHeadingError { get; init; } = 10.0;

    public double QSteeringAngle { get; init; } = 0.0;

    public double RLateral { get; init; } = 1.0;

    public double DiscretizationTimeS { get; init; } = 0.1;

    public int TrackingHorizon { get; init; } = 10;

    public double JerkPenalty { get; init; } = 1e-4;

    public double CurvatureRatePenalty { get; init; } = 1e-2;

    /// <summary>Keeps the curvature fit well posed when the initial speed is zero.</summary>
    public double InitialCurvaturePenalty { get; init; } = 1e-10;

    public double StoppingProportionalGain { get; init; } = 0.5;

    public double StoppingVelocity { get; init; } = 0.2;

    public static LqrTrackerOptions Default { get; } = new();

    public void Validate()
    {
        if (QLongitudinal < 0 || QLateralError < 0 || QHeadingError < 0 || QSteeringAngle < 0)
        {
            throw new ArgumentException("LQR state weights must be non-negative.");
        }
        if (RLongitudinal <= 0 || RLateral <= 0)
        {
            throw new ArgumentException("LQR input weights must be positive.");
        }
        if (DiscretizationTimeS <= 0 || TrackingHorizon <= 1)
        {
            throw new ArgumentException("The LQR tracker needs a positive discretization time and a horizon above 1.");
        }
        if (JerkPenalty <= 0 || CurvatureRatePenalty <= 0 || InitialCurvaturePenalty <= 0)
        {
            throw new ArgumentException("Profile-fit penalties must be positive.");
        }
        if (StoppingProportionalGain <= 0 || StoppingVelocity <= 0)
        {
            throw new ArgumentException("Stopping gain and velocity must be positive.");
        }
    }
}
