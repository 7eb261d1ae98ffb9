namespace NuPlanBus.Domain.States;

/// <summary>Ego vehicle dimensions. Defaults are the Chrysler Pacifica used throughout nuPlan.</summary>
public sealed record VehicleParameters(
    double Width,
    double FrontLength,
    double RearLength,
    double WheelBase,
    double CogPositionFromRearAxle,
    double Height,
    string Name = "pacifica")
{
    public static readonly VehicleParameters Pacifica = new(
        Width: 1.1485 * 2.0,
        FrontLength: 4.049,
        RearLength: 1.127,
        WheelBase: 3.089,
        CogPositionFromRearAxle: 1.67,
        Height: 1.777);

    public double Length => FrontLength + RearLength;

    public double RearAxleToCenter => Length / 2.0 - RearLength;

    public double LengthCogToFrontAxle => WheelBase - CogPositionFromRearAxle;
}
