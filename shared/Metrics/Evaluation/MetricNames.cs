namespace NuPlanBus.Metrics.Evaluation;

/// <summary>The devkit's configured metric names (config <c>name:</c>), which are also the statistics names.</summary>
public static class MetricNames
{
    public const string EgoAcceleration = "ego_acceleration";
    public const string EgoLonAcceleration = "ego_lon_acceleration";
    public const string EgoLatAcceleration = "ego_lat_acceleration";
    public const string EgoJerk = "ego_jerk";
    public const string EgoLonJerk = "ego_lon_jerk";
    public const string EgoLatJerk = "ego_lat_jerk";
    public const string EgoYawRate = "ego_yaw_rate";
    public const string EgoYawAcceleration = "ego_yaw_acceleration";
    public const string EgoIsComfortable = "ego_is_comfortable";
    public const string EgoMeanSpeed = "ego_mean_speed";
    public const string EgoExpertL2Error = "ego_expert_l2_error";
    public const string EgoExpertL2ErrorWithYaw = "ego_expert_l2_error_with_yaw";
    public const string NoEgoAtFaultCollisions = "no_ego_at_fault_collisions";
    public const string TimeToCollisionWithinBound = "time_to_collision_within_bound";
    public const string PlannerExpertAverageL2ErrorWithinBound = "planner_expert_average_l2_error_within_bound";
    public const string PlannerExpertFinalL2ErrorWithinBound = "planner_expert_final_l2_error_within_bound";
    public const string PlannerExpertAverageHeadingErrorWithinBound = "planner_expert_average_heading_error_within_bound";
    public const string PlannerExpertFinalHeadingErrorWithinBound = "planner_expert_final_heading_error_within_bound";
    public const string PlannerMissRateWithinBound = "planner_miss_rate_within_bound";
    public const string EgoLaneChange = "ego_lane_change";
    public const string DrivableAreaCompliance = "drivable_area_compliance";

    /// <summary>The second, unscored statistics of drivable_area_compliance (its own metric file and aggregator column).</summary>
    public const string CornersInDrivableArea = "corners_in_drivable_area";
    public const string DrivingDirectionCompliance = "driving_direction_compliance";
    public const string SpeedLimitCompliance = "speed_limit_compliance";
    public const string EgoProgressAlongExpertRoute = "ego_progress_along_expert_route";
    public const string EgoIsMakingProgress = "ego_is_making_progress";

    /// <summary>The metrics that need a map; without one they return nothing.</summary>
    public static IReadOnlyList<string> MapBased { get; } =
    [
        EgoLaneChange, DrivableAreaCompliance, DrivingDirectionCompliance, SpeedLimitCompliance, EgoProgressAlongExpertRoute,
        EgoIsMakingProgress,
    ];
}

/// <summary>Config categories.</summary>
public static class MetricCategories
{
    public const string Dynamics = "Dynamics";
    public const string Planning = "Planning";
    public const string Violations = "Violations";
}

/// <summary>Time-series units as the devkit spells them.</summary>
public static class MetricUnits
{
    public const string MetersPerSecondSquared = "meters_per_second_squared";
    public const string MetersPerSecondCubed = "meters_per_second_cubed";
    public const string RadiansPerSecond = "radians_per_second";
    public const string RadiansPerSecondSquared = "radians_per_second_squared";
    public const string MetersPerSecond = "meters_per_second";
    public const string Meters = "meters";
    public const string Meter = "meter";
    public const string Radian = "radian";
    public const string Bool = "bool";
    public const string Float = "float";
}
