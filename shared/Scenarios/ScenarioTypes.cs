namespace NuPlanBus.Scenarios;

/// <summary>nuPlan's scenario type names (docs/nuplan-simulation.md §2.3).</summary>
public static class ScenarioTypes
{
    /// <summary>The type of an untagged frame (a NULL <c>scenario_tag.type</c>).</summary>
    public const string Unknown = "unknown";

    /// <summary>The 73 types of the scenario mapping / test split; each extracts 15 s from 3 s before the anchor.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "accelerating_at_crosswalk", "accelerating_at_stop_sign", "accelerating_at_stop_sign_no_crosswalk",
        "accelerating_at_traffic_light", "accelerating_at_traffic_light_with_lead",
        "accelerating_at_traffic_light_without_lead", "behind_bike", "behind_long_vehicle",
        "behind_pedestrian_on_driveable", "behind_pedestrian_on_pickup_dropoff", "changing_lane",
        "changing_lane_to_left", "changing_lane_to_right", "changing_lane_with_lead", "changing_lane_with_trail",
        "crossed_by_bike", "crossed_by_vehicle", "following_lane_with_lead", "following_lane_with_slow_lead",
        "following_lane_without_lead", "high_lateral_acceleration", "high_magnitude_jerk", "high_magnitude_speed",
        "low_magnitude_speed", "medium_magnitude_speed", "near_barrier_on_driveable", "near_construction_zone_sign",
        "near_high_speed_vehicle", "near_long_vehicle", "near_multiple_bikes", "near_multiple_pedestrians",
        "near_multiple_vehicles", "near_pedestrian_at_pickup_dropoff", "near_pedestrian_on_crosswalk",
        "near_pedestrian_on_crosswalk_with_ego", "near_trafficcone_on_driveable", "on_all_way_stop_intersection",
        "on_carpark", "on_intersection", "on_pickup_dropoff", "on_stopline_crosswalk", "on_stopline_stop_sign",
        "on_stopline_traffic_light", "on_traffic_light_intersection", "starting_high_speed_turn",
        "starting_left_turn", "starting_low_speed_turn", "starting_protected_cross_turn",
        "starting_protected_noncross_turn", "starting_right_turn",
        "starting_straight_stop_sign_intersection_traversal",
        "starting_straight_traffic_light_intersection_traversal", "starting_u_turn",
        "starting_unprotected_cross_turn", "starting_unprotected_noncross_turn", "stationary",
        "stationary_at_crosswalk", "stationary_at_traffic_light_with_lead",
        "stationary_at_traffic_light_without_lead", "stationary_in_traffic", "stopping_at_crosswalk",
        "stopping_at_stop_sign_no_crosswalk", "stopping_at_stop_sign_with_lead",
        "stopping_at_stop_sign_without_lead", "stopping_at_traffic_light_with_lead",
        "stopping_at_traffic_light_without_lead", "stopping_with_lead", "traversing_crosswalk",
        "traversing_intersection", "traversing_narrow_lane", "traversing_pickup_dropoff",
        "traversing_traffic_light_intersection", "waiting_for_pedestrian_to_cross",
    ];

    /// <summary>The 14 types of the official challenge filter.</summary>
    public static readonly IReadOnlyList<string> Challenge =
    [
        "starting_left_turn", "starting_right_turn", "starting_straight_traffic_light_intersection_traversal",
        "stopping_with_lead", "high_lateral_acceleration", "high_magnitude_speed", "low_magnitude_speed",
        "traversing_pickup_dropoff", "waiting_for_pedestrian_to_cross", "behind_long_vehicle",
        "stationary_in_traffic", "near_multiple_vehicles", "changing_lane", "following_lane_with_lead",
    ];

    private static readonly HashSet<string> Mapped = new(All, StringComparer.Ordinal);

    /// <summary>True for the types the default scenario mapping lists (so they get the 15 s / −3 s window).</summary>
    public static bool IsMapped(string scenarioType) => Mapped.Contains(scenarioType);
}
