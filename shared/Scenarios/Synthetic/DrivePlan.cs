using NuPlanBus.Domain.States;

namespace NuPlanBus.Scenarios.Synthetic;

/// <summary>
/// An object scripted in road coordinates: s along the road, d to its left. Its speed profile integrates to s,
/// its lateral profile is d, so positions, headings and (global) velocities are mutually consistent.
/// </summary>
internal sealed class Actor(
    TrackedObjectType type, double length, double width, double height,
    double s0, EasedProfile speed, EasedProfile lateral, double restHeading, double startS, double endS)
{
    public TrackedObjectType Type { get; } = type;
    public double Length { get; } = length;
    public double Width { get; } = width;
    public double Height { get; } = height;
    public double S0 { get; } = s0;
    public EasedProfile Speed { get; } = speed;
    public EasedProfile Lateral { get; } = lateral;

    /// <summary>Heading relative to the road when (nearly) still, where the motion gives no direction.</summary>
    public double RestHeading { get; } = restHeading;

    /// <summary>Lifetime [start, end) in seconds from the log start.</summary>
    public double Start { get; } = startS;
    public double End { get; } = endS;

    public double S(double t) => S0 + Speed.Integral(t);
}

/// <summary>The kinds of situation the generator drives; each matches the nuPlan types it is tagged with.</summary>
internal enum SituationKind
{
    FollowingLead,
    StoppingWithLead,
    StopAndGo,
    ChangingLane,
    HighSpeed,
    NearMultipleVehicles,
    PedestrianCrossing,
    Bikes,
    SlowLead,
}

/// <summary>
/// The ego drive as a sequence of situations on a straight multi-lane road. Same-direction lanes lie at
/// d = −3.5, 0, 3.5 m, oncoming lanes at 7.5 and 11 m; the ego starts and ends every situation in lane 0 at
/// cruise speed, so situations compose in any order. Gaps and timings are chosen so that the logged drive
/// is collision-free and within nuPlan's comfort bounds (acceleration ≤ 2.4 m/s², braking ≥ −4.05 m/s²);
/// tests check both. Every situation's first ego keyframe is at least 1 s after its start.
/// </summary>
internal sealed class DrivePlan
{
    public const double Cruise = 10.0;
    public const double LaneWidth = 3.5;
    public const double OncomingNear = 7.5;
    public const double OncomingFar = 11.0;
    public const double Shoulder = -6.5;

    private static readonly double EgoFront = VehicleParameters.Pacifica.FrontLength;

    private readonly Random _random;

    public DrivePlan(Random random)
    {
        _random = random;
    }

    public EasedProfile EgoSpeed { get; } = EasedProfile.Speed(0, Cruise);

    public EasedProfile EgoLateral { get; } = EasedProfile.Position(0, 0);

    public List<Actor> Actors { get; } = [];

    public List<(double Time, string[] Types)> Tags { get; } = [];

    public List<double> Crosswalks { get; } = [];

    /// <summary>(start, end) windows in which oncoming traffic may live.</summary>
    public List<(double Start, double End)> OncomingWindows { get; } = [];

    /// <summary>Segment starts where roadside static objects go.</summary>
    public List<double> StaticAnchors { get; } = [];

    public double EgoS(double t) => EgoSpeed.Integral(t);

    /// <summary>Plain cruising (lead-in and tail), with oncoming traffic and roadside objects.</summary>
    public void Cruising(double t0, double duration)
    {
        OncomingWindows.Add((t0, t0 + duration));
        StaticAnchors.Add(t0);
    }

    /// <summary>Drives one situation from <paramref name="t0"/>; returns its duration.</summary>
    public double Add(SituationKind kind, double t0) => kind switch
    {
        SituationKind.FollowingLead => FollowingLead(t0),
        SituationKind.StoppingWithLead => StoppingWithLead(t0),
        SituationKind.StopAndGo => StopAndGo(t0),
        SituationKind.ChangingLane => ChangingLane(t0),
        SituationKind.HighSpeed => HighSpeed(t0),
        SituationKind.NearMultipleVehicles => NearMultipleVehicles(t0),
        SituationKind.PedestrianCrossing => PedestrianCrossing(t0),
        SituationKind.Bikes => Bikes(t0),
        SituationKind.SlowLead => SlowLead(t0),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A lead vehicle that brakes to 60 % and recovers; the ego follows one second later.</summary>
    private double FollowingLead(double t0)
    {
        const double duration = 18;
        var lead = SpeedFrom(t0, Cruise).Hold(t0 + 5).To(t0 + 8, 0.6 * Cruise).Hold(t0 + 12).To(t0 + 15, Cruise);
        AddVehicleAhead(t0, duration, 0, Uniform(20, 24), lead);
        EgoSpeed.Hold(t0 + 6).To(t0 + 9.5, 0.6 * Cruise).Hold(t0 + 13).To(t0 + 16.5, Cruise);
        Tag(t0 + Jitter(3, 1), "following_lane_with_lead");
        Background(t0, duration);
        return duration;
    }

    /// <summary>The lead brakes to a stop, waits and drives off; the ego stops about 8 m behind it.</summary>
    private double StoppingWithLead(double t0)
    {
        const double duration = 24;
        var lead = SpeedFrom(t0, Cruise).Hold(t0 + 3).To(t0 + 8, 0).Hold(t0 + 14).To(t0 + 20, Cruise);
        AddVehicleAhead(t0, duration, 0, Uniform(16, 19), lead);
        EgoSpeed.Hold(t0 + 3.5).To(t0 + 9, 0).Hold(t0 + 15).To(t0 + 22, Cruise);
        Tag(t0 + Jitter(4.5, 0.5), "stopping_with_lead");
        Background(t0, duration);
        return duration;
    }

    /// <summary>Stop-and-go queue in two lanes; every follower replays its leader's speeds 0.8 s later.</summary>
    private double StopAndGo(double t0)
    {
        const double duration = 28;
        const double lag = 0.8;
        (double T, double V)[] keys = [(1, Cruise), (6, 0), (9, 0), (11, 3), (13, 3), (15, 0), (19, 0), (26, Cruise)];
        EasedProfile Profile(double shift)
        {
            var p = SpeedFrom(t0, Cruise);
            foreach (var (t, v) in keys)
            {
                p.To(t0 + t + shift, v);
            }
            return p;
        }
        AddVehicleAhead(t0, duration, 0, Uniform(14, 16), Profile(0));
        foreach (var (t, v) in keys)
        {
            EgoSpeed.To(t0 + t + lag, v);
        }
        // Left-lane queue: one vehicle beside the ego, one ahead of it.
        var besideCentre = EgoS(t0) + EgoFront - 2;
        var beside = AddVehicle(t0, duration, LaneWidth, besideCentre, Profile(lag));
        AddVehicle(t0, duration, LaneWidth, besideCentre + beside.Length / 2 + 15 + 2.5, Profile(0));
        Tag(t0 + Jitter(7.5, 0.5), "stationary_in_traffic");
        Tag(t0 + Jitter(16.5, 0.5), "stationary_in_traffic");
        Background(t0, duration);
        return duration;
    }

    /// <summary>Overtakes a slow vehicle: a lane change to the left, then back to the right.</summary>
    private double ChangingLane(double t0)
    {
        const double duration = 20;
        AddVehicleAhead(t0, duration, 0, Uniform(35, 40), SpeedFrom(t0, 6));
        EgoLateral.Hold(t0 + 3).To(t0 + 8, LaneWidth).Hold(t0 + 12).To(t0 + 17, 0);
        Tag(t0 + 3.5, "changing_lane", "changing_lane_to_left");
        Tag(t0 + 12.5, "changing_lane", "changing_lane_to_right");
        Background(t0, duration);
        return duration;
    }

    /// <summary>Accelerates to 22 m/s, cruises, slows down; passes a vehicle in the right lane.</summary>
    private double HighSpeed(double t0)
    {
        const double duration = 24;
        AddVehicle(t0, duration, -LaneWidth, EgoS(t0) + Uniform(55, 70), SpeedFrom(t0, Uniform(17, 19)));
        EgoSpeed.Hold(t0 + 1).To(t0 + 9.5, 22).Hold(t0 + 16).To(t0 + 23, Cruise);
        Tag(t0 + Jitter(10, 1), "high_magnitude_speed");
        Background(t0, duration);
        return duration;
    }

    /// <summary>Dense traffic in both neighbouring lanes and a lead ahead.</summary>
    private double NearMultipleVehicles(double t0)
    {
        const double duration = 16;
        var centre = EgoS(t0) + VehicleParameters.Pacifica.RearAxleToCenter;
        var left = 0.97 * Cruise;
        var right = 1.03 * Cruise;
        foreach (var offset in new[] { -12.0, 4.0, 20.0 })
        {
            AddVehicle(t0, duration, LaneWidth, centre + offset, SpeedFrom(t0, left));
        }
        foreach (var offset in new[] { -6.0, 10.0, 26.0 })
        {
            AddVehicle(t0, duration, -LaneWidth, centre + offset, SpeedFrom(t0, right));
        }
        AddVehicleAhead(t0, duration, 0, Uniform(24, 28), SpeedFrom(t0, Cruise));
        Tag(t0 + Jitter(3, 1), "near_multiple_vehicles");
        Background(t0, duration);
        return duration;
    }

    /// <summary>The ego stops before a crosswalk while two pedestrians cross the road, then drives on.</summary>
    private double PedestrianCrossing(double t0)
    {
        const double duration = 24;
        EgoSpeed.Hold(t0 + 1).To(t0 + 7, 0).Hold(t0 + 13).To(t0 + 20, Cruise);
        var crosswalk = EgoS(t0 + 7) + EgoFront + 3.5;
        Crosswalks.Add(crosswalk);
        AddPedestrian(t0, duration, crosswalk - 1, EasedProfile.Position(t0 + 3, -9).To(t0 + 17, 11), Math.PI / 2);
        AddPedestrian(t0, duration, crosswalk + 1, EasedProfile.Position(t0 + 2, 12).To(t0 + 18, -9), -Math.PI / 2);
        AddPedestrian(t0, duration, crosswalk + 3, EasedProfile.Position(t0, -8), Math.PI / 2);
        Tag(t0 + Jitter(8, 0.5), "waiting_for_pedestrian_to_cross");
        Tag(t0 + Jitter(10, 0.5), "near_multiple_pedestrians");
        // No oncoming traffic or roadside objects: the pedestrians walk across every lane.
        return duration;
    }

    /// <summary>The ego slows behind a cyclist in its lane, with two more cyclists in the right lane.</summary>
    private double Bikes(double t0)
    {
        const double duration = 20;
        EgoSpeed.Hold(t0 + 1).To(t0 + 5, 5).Hold(t0 + 12).To(t0 + 16, Cruise);
        var front = EgoS(t0) + EgoFront;
        var lead = EasedProfile.Position(t0, -0.8).Hold(t0 + 12).To(t0 + 15, -5);
        AddBike(t0, duration, front + 25 + 0.9, lead);
        AddBike(t0, duration, front + 5, EasedProfile.Position(t0, -3.0));
        AddBike(t0, duration, front - 12, EasedProfile.Position(t0, -3.0));
        Tag(t0 + Jitter(6, 0.5), "behind_bike");
        Tag(t0 + Jitter(8, 0.5), "near_multiple_bikes");
        Background(t0, duration);
        return duration;
    }

    /// <summary>Crawls behind a 2.5 m/s lead until it moves to the right lane.</summary>
    private double SlowLead(double t0)
    {
        const double duration = 18;
        var lateral = EasedProfile.Position(t0, 0).Hold(t0 + 9.5).To(t0 + 12.5, -LaneWidth);
        AddVehicleAhead(t0, duration, 0, Uniform(34, 37), SpeedFrom(t0, 2.5), lateral);
        EgoSpeed.Hold(t0 + 1).To(t0 + 6, 2.5).Hold(t0 + 12).To(t0 + 17.5, Cruise);
        Tag(t0 + Jitter(7, 0.5), "following_lane_with_slow_lead");
        Tag(t0 + Jitter(9, 0.3), "low_magnitude_speed");
        Background(t0, duration);
        return duration;
    }

    private void Background(double t0, double duration)
    {
        OncomingWindows.Add((t0, t0 + duration));
        StaticAnchors.Add(t0);
    }

    private static EasedProfile SpeedFrom(double t0, double speed) => EasedProfile.Speed(t0, speed);

    private Actor AddVehicleAhead(double t0, double duration, double lane, double gap, EasedProfile speed, EasedProfile? lateral = null)
    {
        var length = Uniform(4.4, 5.2);
        var centre = EgoS(t0) + EgoFront + gap + length / 2;
        return AddVehicle(t0, duration, lane, centre, speed, lateral, length);
    }

    private Actor AddVehicle(
        double t0, double duration, double lane, double centre, EasedProfile speed, EasedProfile? lateral = null, double? length = null)
    {
        var actor = new Actor(
            TrackedObjectType.Vehicle, length ?? Uniform(4.4, 5.2), Uniform(1.85, 2.05), Uniform(1.5, 1.9),
            centre, speed, lateral ?? EasedProfile.Position(t0, lane), 0, t0, t0 + duration);
        Actors.Add(actor);
        return actor;
    }

    private void AddPedestrian(double t0, double duration, double s, EasedProfile lateral, double restHeading) =>
        Actors.Add(new Actor(
            TrackedObjectType.Pedestrian, 0.6, 0.6, Uniform(1.6, 1.9), s, EasedProfile.Speed(t0, 0), lateral,
            restHeading, t0, t0 + duration));

    private void AddBike(double t0, double duration, double centre, EasedProfile lateral) =>
        Actors.Add(new Actor(
            TrackedObjectType.Bicycle, 1.8, 0.6, 1.7, centre, EasedProfile.Speed(t0, 5), lateral, 0, t0, t0 + duration));

    /// <summary>Oncoming vehicles, each alive 12 s, spawned only where the whole life fits an allowed window.</summary>
    public void AddOncomingTraffic()
    {
        var lane = 0;
        foreach (var (start, end) in OncomingWindows)
        {
            for (var t = start + Uniform(0.5, 2); t + 12 <= end; t += Uniform(4, 7))
            {
                var d = lane++ % 2 == 0 ? OncomingNear : OncomingFar;
                Actors.Add(new Actor(
                    TrackedObjectType.Vehicle, Uniform(4.4, 5.2), Uniform(1.85, 2.05), Uniform(1.5, 1.9),
                    EgoS(t) + 110, EasedProfile.Speed(t, -Uniform(11, 14)), EasedProfile.Position(t, d), Math.PI, t, t + 12));
            }
        }
    }

    /// <summary>Cones, barriers, signs and generic objects on the right shoulder, away from crosswalks.</summary>
    public void AddRoadsideObjects(double logEnd)
    {
        TrackedObjectType[] kinds =
            [TrackedObjectType.TrafficCone, TrackedObjectType.Barrier, TrackedObjectType.CzoneSign, TrackedObjectType.GenericObject];
        foreach (var t0 in StaticAnchors)
        {
            var count = _random.Next(2, 4);
            for (var i = 0; i < count; i++)
            {
                var s = EgoS(t0) + Uniform(20, 150);
                if (NearCrosswalk(s))
                {
                    continue;
                }
                var kind = kinds[_random.Next(kinds.Length)];
                var (length, width, height) = kind switch
                {
                    TrackedObjectType.TrafficCone => (0.4, 0.4, 0.8),
                    TrackedObjectType.Barrier => (2.0, 0.5, 1.0),
                    TrackedObjectType.CzoneSign => (0.6, 0.3, 1.5),
                    _ => (1.0, 1.0, 1.0),
                };
                Actors.Add(new Actor(
                    kind, length, width, height, s, EasedProfile.Speed(0, 0), EasedProfile.Position(0, Shoulder + Uniform(-0.3, 0.3)),
                    Uniform(-0.3, 0.3), 0, logEnd));
            }
        }
    }

    /// <summary>Parked vehicles on both sides of the road (load tests), skipping crosswalks.</summary>
    public void AddParkedVehicles(double spacing, double logEnd)
    {
        var end = EgoS(logEnd) + 100;
        for (var s = -100.0; s <= end; s += spacing)
        {
            if (NearCrosswalk(s))
            {
                continue;
            }
            foreach (var d in new[] { -8.5, 14.5 })
            {
                Actors.Add(new Actor(
                    TrackedObjectType.Vehicle, Uniform(4.4, 5.0), 1.9, 1.6, s, EasedProfile.Speed(0, 0), EasedProfile.Position(0, d),
                    d > 0 ? Math.PI : 0, 0, logEnd));
            }
        }
    }

    private bool NearCrosswalk(double s)
    {
        foreach (var crosswalk in Crosswalks)
        {
            if (Math.Abs(s - crosswalk) < 7)
            {
                return true;
            }
        }
        return false;
    }

    private void Tag(double time, params string[] types) => Tags.Add((time, types));

    private double Uniform(double min, double max) => min + (max - min) * _random.NextDouble();

    /// <summary>A time near <paramref name="at"/>, on the 0.05 s row grid.</summary>
    private double Jitter(double at, double spread) => at + Math.Round(Uniform(0, spread) / 0.05) * 0.05;
}
