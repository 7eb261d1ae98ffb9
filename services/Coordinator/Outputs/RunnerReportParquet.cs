using System.Text.Json.Serialization;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.IO;
using Parquet;
using Parquet.Serialization;

namespace NuPlanBus.Coordinator.Outputs;

/// <summary>
/// Writes <c>runner_report.parquet</c> with the devkit's column names (docs/nuplan-runtime.md §10.5), but with a
/// fixed schema: every statistic column is always present and nullable, and there is never a
/// <c>planner_report</c> column, so downstream readers do not depend on which report came first.
/// </summary>
public static class RunnerReportParquet
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "succeeded", "error_message", "start_time", "end_time", "scenario_name", "planner_name", "log_name",
        "compute_trajectory_runtimes_mean", "compute_trajectory_runtimes_median", "compute_trajectory_runtimes_std",
        "duration",
    ];

    public static Task WriteAsync(string path, IReadOnlyList<RunnerReportRecord> reports, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAsync(path, stream => ParquetSerializer.SerializeAsync(
            reports.Select(Row.From),
            stream,
            new ParquetOptions { CompressionMethod = CompressionMethod.Snappy },
            cancellationToken: cancellationToken), cancellationToken);

    /// <summary>Reads a runner report back (the Parquet columns are matched by name).</summary>
    public static async Task<IReadOnlyList<Row>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        var result = await ParquetSerializer.DeserializeAsync<Row>(stream, cancellationToken: cancellationToken);
        return result.Data.ToList();
    }

    /// <summary>One Parquet row; property order is column order.</summary>
    public sealed class Row
    {
        [JsonPropertyName("succeeded")]
        public bool Succeeded { get; set; }

        [JsonPropertyName("error_message")]
        public string? ErrorMessage { get; set; }

        [JsonPropertyName("start_time")]
        public double StartTime { get; set; }

        [JsonPropertyName("end_time")]
        public double? EndTime { get; set; }

        [JsonPropertyName("scenario_name")]
        public string ScenarioName { get; set; } = "";

        [JsonPropertyName("planner_name")]
        public string PlannerName { get; set; } = "";

        [JsonPropertyName("log_name")]
        public string LogName { get; set; } = "";

        [JsonPropertyName("compute_trajectory_runtimes_mean")]
        public double? Mean { get; set; }

        [JsonPropertyName("compute_trajectory_runtimes_median")]
        public double? Median { get; set; }

        [JsonPropertyName("compute_trajectory_runtimes_std")]
        public double? Std { get; set; }

        [JsonPropertyName("duration")]
        public double? Duration { get; set; }

        public static Row From(RunnerReportRecord report) => new()
        {
            Succeeded = report.Succeeded,
            ErrorMessage = report.ErrorMessage,
            StartTime = report.StartTime,
            EndTime = report.EndTime,
            ScenarioName = report.ScenarioName,
            PlannerName = report.PlannerName,
            LogName = report.LogName,
            Mean = report.ComputeTrajectoryRuntimesMean,
            Median = report.ComputeTrajectoryRuntimesMedian,
            Std = report.ComputeTrajectoryRuntimesStd,
            Duration = report.Duration,
        };
    }
}
