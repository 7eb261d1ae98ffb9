namespace NuPlanBus.Metrics.Results;

/// <summary>nuPlan's MetricStatisticsType. The member names are the devkit's serialised strings.</summary>
public enum StatisticType
{
    MAX,
    MIN,
    P90,
    MEAN,
    VALUE,
    VELOCITY,
    BOOLEAN,
    RATIO,
    COUNT,
}

public static class StatisticTypes
{
    /// <summary>The string the devkit writes into <c>&lt;stat&gt;_stat_type</c> columns.</summary>
    public static string DevkitName(this StatisticType type) => type switch
    {
        StatisticType.MAX => "MAX",
        StatisticType.MIN => "MIN",
        StatisticType.P90 => "P90",
        StatisticType.MEAN => "MEAN",
        StatisticType.VALUE => "VALUE",
        StatisticType.VELOCITY => "VELOCITY",
        StatisticType.BOOLEAN => "BOOLEAN",
        StatisticType.RATIO => "RATIO",
        StatisticType.COUNT => "COUNT",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static StatisticType Parse(string name) => name switch
    {
        "MAX" => StatisticType.MAX,
        "MIN" => StatisticType.MIN,
        "P90" => StatisticType.P90,
        "MEAN" => StatisticType.MEAN,
        "VALUE" => StatisticType.VALUE,
        "VELOCITY" => StatisticType.VELOCITY,
        "BOOLEAN" => StatisticType.BOOLEAN,
        "RATIO" => StatisticType.RATIO,
        "COUNT" => StatisticType.COUNT,
        _ => throw new ArgumentException($"Unknown statistic type '{name}'.", nameof(name)),
    };

    /// <summary>The devkit's default unit for a type (BOOLEAN → boolean, RATIO → ratio, COUNT → count), else null.</summary>
    public static string? DefaultUnit(this StatisticType type) => type switch
    {
        StatisticType.BOOLEAN => "boolean",
        StatisticType.RATIO => "ratio",
        StatisticType.COUNT => "count",
        _ => null,
    };
}
