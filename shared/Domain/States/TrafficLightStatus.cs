namespace NuPlanBus.Domain.States;

public enum TrafficLightState
{
    Green = 0,
    Yellow = 1,
    Red = 2,
    Unknown = 3,
}

public readonly record struct TrafficLightStatus(long LaneConnectorId, TrafficLightState Status, long TimeUs)
{
    public static TrafficLightState Parse(string? status) => status switch
    {
        "green" => TrafficLightState.Green,
        "yellow" => TrafficLightState.Yellow,
        "red" => TrafficLightState.Red,
        _ => TrafficLightState.Unknown,
    };
}
