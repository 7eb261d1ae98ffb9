using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Domain.States;

/// <summary>nuPlan's tracked object types with their enum values.</summary>
public enum TrackedObjectType
{
    Vehicle = 0,
    Pedestrian = 1,
    Bicycle = 2,
    TrafficCone = 3,
    Barrier = 4,
    CzoneSign = 5,
    GenericObject = 6,
    Ego = 7,
}

public static class TrackedObjectTypes
{
    /// <summary>Maps a nuPlan <c>category.name</c> to its type; unknown names fail loudly as in the devkit.</summary>
    public static TrackedObjectType FromCategoryName(string name) => name switch
    {
        "vehicle" => TrackedObjectType.Vehicle,
        "bicycle" => TrackedObjectType.Bicycle,
        "pedestrian" => TrackedObjectType.Pedestrian,
        "traffic_cone" => TrackedObjectType.TrafficCone,
        "barrier" => TrackedObjectType.Barrier,
        "czone_sign" => TrackedObjectType.CzoneSign,
        "generic_object" => TrackedObjectType.GenericObject,
        _ => throw new ArgumentException($"Unknown nuPlan category '{name}'.", nameof(name)),
    };

    public static string CategoryName(this TrackedObjectType type) => type switch
    {
        TrackedObjectType.Vehicle => "vehicle",
        TrackedObjectType.Bicycle => "bicycle",
        TrackedObjectType.Pedestrian => "pedestrian",
        TrackedObjectType.TrafficCone => "traffic_cone",
        TrackedObjectType.Barrier => "barrier",
        TrackedObjectType.CzoneSign => "czone_sign",
        TrackedObjectType.GenericObject => "generic_object",
        TrackedObjectType.Ego => "ego",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Vehicles, bicycles and pedestrians move; everything else is a static object.</summary>
    public static bool IsAgent(this TrackedObjectType type) =>
        type is TrackedObjectType.Vehicle or TrackedObjectType.Bicycle or TrackedObjectType.Pedestrian;
}

/// <summary>
/// One detected object in one frame. <see cref="Velocity"/> is global; static objects carry zero.
/// <see cref="TrackToken"/> is the identity across frames (never key on process-local integer ids).
/// </summary>
public readonly record struct TrackedObject(
    TrackedObjectType Type,
    OrientedBox Box,
    Vector2 Velocity,
    string Token,
    string TrackToken,
    long TimeUs)
{
    public double Speed => Type.IsAgent() ? Velocity.Magnitude : 0.0;
}
