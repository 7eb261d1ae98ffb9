namespace NuPlanBus.Metrics.Results;

/// <summary>
/// One named statistic of a metric. <see cref="Value"/> is always a double so every statistic fits one numeric
/// column downstream: a BOOLEAN statistic holds 1.0 (true) or 0.0 (false), a COUNT holds a whole number.
/// </summary>
public sealed record Statistic(string Name, string Unit, StatisticType Type, double Value)
{
    public static Statistic Boolean(string name, bool value) =>
        new(name, StatisticType.BOOLEAN.DefaultUnit()!, StatisticType.BOOLEAN, value ? 1.0 : 0.0);

    public static Statistic Count(string name, int value) =>
        new(name, StatisticType.COUNT.DefaultUnit()!, StatisticType.COUNT, value);

    /// <summary>The value read as a boolean (non-zero is true), for BOOLEAN statistics.</summary>
    public bool AsBoolean => Value != 0.0;
}
