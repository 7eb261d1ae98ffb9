namespace NuPlanBus.Metrics.Results;

/// <summary>A per-timestamp metric series; timestamps in microseconds, selected frames optional.</summary>
public sealed record TimeSeries
{
    public TimeSeries(string unit, IReadOnlyList<long> timestampsUs, IReadOnlyList<double> values, IReadOnlyList<int>? selectedFrames = null)
    {
        if (timestampsUs.Count != values.Count)
        {
            throw new ArgumentException(
                $"A time series needs one value per timestamp (got {timestampsUs.Count} timestamps, {values.Count} values).");
        }
        Unit = unit;
        TimestampsUs = timestampsUs;
        Values = values;
        SelectedFrames = selectedFrames;
    }

    public string Unit { get; }

    public IReadOnlyList<long> TimestampsUs { get; }

    public IReadOnlyList<double> Values { get; }

    public IReadOnlyList<int>? SelectedFrames { get; }
}
