using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Scenarios;

namespace NuPlanBus.Scenarios;

/// <summary>
/// How a scenario window is cut from its log (docs/nuplan-simulation.md §2.2): iterations are the frames of
/// [anchor + offset, anchor + offset + duration] taken every <see cref="Step"/>-th raw row.
/// </summary>
public sealed record ScenarioExtraction(double DurationS, double OffsetS, double SubsampleRatio)
{
    /// <summary>nuPlan's <c>subsample_ratio_override</c>: 20 Hz rows sampled at 10 Hz.</summary>
    public const double DefaultSubsampleRatio = 0.5;

    /// <summary>The window of every type the scenario mapping lists.</summary>
    public static readonly ScenarioExtraction Mapped = new(15.0, -3.0, DefaultSubsampleRatio);

    /// <summary>The defaults for types the mapping does not list, <c>unknown</c> included.</summary>
    public static readonly ScenarioExtraction Unmapped = new(20.0, 0.0, DefaultSubsampleRatio);

    /// <summary>The default <c>nuplan_scenario_mapping</c> extraction of a type.</summary>
    public static ScenarioExtraction ForScenarioType(string scenarioType) =>
        ScenarioTypes.IsMapped(scenarioType) ? Mapped : Unmapped;

    /// <summary>Raw rows between iterations, <c>int(1 / ratio)</c>; the ratio must invert to an integer within 1e-3.</summary>
    public int Step
    {
        get
        {
            if (!(SubsampleRatio > 0 && SubsampleRatio <= 1))
            {
                throw new ConfigurationException($"Subsample ratio must lie in (0, 1], got {SubsampleRatio}.");
            }
            var inverse = 1.0 / SubsampleRatio;
            if (Math.Abs(inverse - Math.Round(inverse)) > 1e-3)
            {
                throw new ConfigurationException($"Subsample ratio {SubsampleRatio} does not divide the 20 Hz rows evenly.");
            }
            return (int)inverse;
        }
    }

    /// <summary>Seconds between iterations: 0.05 s / ratio (0.1 s with the defaults).</summary>
    public double DatabaseIntervalS => SampleIndices.RawRowIntervalS / SubsampleRatio;

    /// <summary>The inclusive µs window, truncated to integers as the devkit does.</summary>
    public (long StartUs, long EndUs) Window(long anchorTimestampUs)
    {
        if (!(DurationS >= 0) || double.IsInfinity(DurationS) || !double.IsFinite(OffsetS))
        {
            throw new ConfigurationException($"Invalid extraction window: duration {DurationS} s, offset {OffsetS} s.");
        }
        var start = (long)(anchorTimestampUs + OffsetS * 1e6);
        var end = (long)(start + DurationS * 1e6);
        return (start, end);
    }
}
