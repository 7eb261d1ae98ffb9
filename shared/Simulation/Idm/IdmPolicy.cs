namespace NuPlanBus.Simulation.Idm;

/// <summary>The leading object an IDM entity reacts to, relative to the entity (nuPlan's IDMLeadAgentState).</summary>
/// <param name="Progress">[m] Distance to the lead: the gap between footprints for a real object, the progress
/// left to the path end for the virtual free-road lead.</param>
/// <param name="Velocity">[m/s] Lead speed projected on the entity's heading.</param>
/// <param name="LengthRear">[m] Subtracted from <paramref name="Progress"/> to get the gap.</param>
public readonly record struct IdmLead(double Progress, double Velocity, double LengthRear);

/// <summary>
/// nuPlan's IDMPolicy with forward-Euler integration (docs/nuplan-simulation.md §3.8.3): acceleration exponent 4, the gap clamped
/// below at the minimum gap, the acceleration clipped to [−decel_max, accel_max], the speed kept non-negative.
/// </summary>
public readonly record struct IdmPolicy(double TargetVelocity, double MinGapToLeadAgent, double HeadwayTime, double AccelMax, double DecelMax)
{
    public const int AccelerationExponent = 4;

    public void Validate()
    {
        if (!(TargetVelocity > 0) || !(MinGapToLeadAgent > 0) || !(HeadwayTime >= 0) || !(AccelMax > 0) || !(DecelMax > 0))
        {
            throw new ArgumentException(
                $"IDM needs a positive target velocity, minimum gap, accel_max and decel_max and a non-negative headway (got {this}).");
        }
    }

    /// <summary>The unclipped IDM acceleration of an entity at speed <paramref name="velocity"/> behind <paramref name="lead"/>.</summary>
    public double Acceleration(double velocity, in IdmLead lead)
    {
        var desiredGap = MinGapToLeadAgent + velocity * HeadwayTime
            + velocity * (velocity - lead.Velocity) / (2 * Math.Sqrt(AccelMax * DecelMax));
        var gap = Math.Max(lead.Progress - lead.LengthRear, MinGapToLeadAgent);
        var ratio = velocity / TargetVelocity;
        var ratio2 = ratio * ratio;
        var gapRatio = desiredGap / gap;
        return AccelMax * (1 - ratio2 * ratio2 - gapRatio * gapRatio);
    }

    /// <summary>One forward-Euler step of <paramref name="dt"/> seconds: progress advances with the old speed.</summary>
    public (double ProgressDelta, double Velocity) Step(double velocity, in IdmLead lead, double dt)
    {
        var acceleration = Math.Clamp(Acceleration(velocity, lead), -DecelMax, AccelMax);
        return (velocity * dt, Math.Max(velocity + acceleration * dt, 0.0));
    }
}
