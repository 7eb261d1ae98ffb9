namespace NuPlanBus.Maps;

/// <summary>The devkit's <c>SemanticMapLayer</c> values (docs/nuplan-maps.md §2.1), numbered as there.</summary>
public enum SemanticMapLayer
{
    Lane = 0,
    Intersection = 1,
    StopLine = 2,
    TurnStop = 3,
    Crosswalk = 4,
    DrivableArea = 5,
    Yield = 6,
    TrafficLight = 7,
    StopSign = 8,
    ExtendedPudo = 9,
    SpeedBump = 10,
    LaneConnector = 11,
    BaselinePaths = 12,
    Boundaries = 13,
    Walkways = 14,
    CarparkArea = 15,
    Pudo = 16,
    Roadblock = 17,
    RoadblockConnector = 18,
}

/// <summary>The devkit's <c>StopLineType</c> (= <c>stop_polygons.stop_polygon_type_fid</c>).</summary>
public enum StopLineType
{
    PedCrossing = 0,
    StopSign = 1,
    TrafficLight = 2,
    TurnStop = 3,
    Yield = 4,
    Unknown = 5,
}
