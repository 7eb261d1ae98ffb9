namespace NuPlanBus.Common.Experiments;

/// <summary>
/// The one place that knows where a run's artifacts live. Everything is relative to the run directory:
/// <code>
/// runner_report.parquet, summary.json, .run
/// runner_report_&lt;rank&gt;.parquet, nodes/&lt;rank&gt;.json (batch jobs: one per node)
/// metrics/&lt;statistics&gt;.parquet, metrics/scenarios/*.json
/// aggregator_metric/*.parquet
/// simulation_log/&lt;planner&gt;/&lt;type&gt;/&lt;log&gt;/&lt;scenario&gt;/&lt;scenario&gt;.msgpack.zst
/// logs/&lt;component&gt;.log
/// </code>
/// </summary>
public static class RunLayout
{
    public const string RunnerReportFile = "runner_report.parquet";
    public const string SummaryFile = "summary.json";
    public const string MetricsDirectoryName = "metrics";
    public const string AggregatorDirectoryName = "aggregator_metric";
    public const string SimulationLogDirectoryName = "simulation_log";
    public const string LogsDirectoryName = "logs";
    public const string NodesDirectoryName = "nodes";
    public const string SimulationLogExtension = ".msgpack.zst";

    public static string ClaimFile(string runDirectory) => Path.Combine(runDirectory, ".run");

    public static string RunnerReport(string runDirectory) => Path.Combine(runDirectory, RunnerReportFile);

    public static string Summary(string runDirectory) => Path.Combine(runDirectory, SummaryFile);

    /// <summary>A batch node's own runner report, <c>runner_report_&lt;rank&gt;.parquet</c>.</summary>
    public static string NodeRunnerReport(string runDirectory, int rank) =>
        Path.Combine(runDirectory, $"runner_report_{rank.ToString(System.Globalization.CultureInfo.InvariantCulture)}.parquet");

    /// <summary>A batch node's settled scenarios, from which node 0 writes the run outputs.</summary>
    public static string NodePart(string runDirectory, int rank) =>
        Path.Combine(runDirectory, NodesDirectoryName, rank.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".json");

    public static string MetricsDirectory(string runDirectory) => Path.Combine(runDirectory, MetricsDirectoryName);

    public static string AggregatorDirectory(string runDirectory) => Path.Combine(runDirectory, AggregatorDirectoryName);

    public static string LogsDirectory(string runDirectory) => Path.Combine(runDirectory, LogsDirectoryName);

    public static string ComponentLog(string runDirectory, string component) =>
        Path.Combine(LogsDirectory(runDirectory), $"{component}.log");

    public static string SimulationLog(string runDirectory, string plannerName, string scenarioType, string logName, string scenarioName) =>
        Path.Combine(
            runDirectory,
            SimulationLogDirectoryName,
            Safe(plannerName),
            Safe(scenarioType),
            Safe(logName),
            Safe(scenarioName),
            Safe(scenarioName) + SimulationLogExtension);

    /// <summary>
    /// Reads a simulation log's place from its path relative to a <c>simulation_log</c> directory (any prefix before
    /// the last five segments is allowed, as the devkit's metric run allows it); false for a file outside the layout.
    /// </summary>
    public static bool TryParseSimulationLog(string relativePath, out SimulationLogLocation location)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var segments = relativePath.Replace('\\', '/').Split('/');
        if (segments.Length < 5 || segments[^1] != segments[^2] + SimulationLogExtension || segments[^5..].Any(s => s.Length == 0))
        {
            location = default;
            return false;
        }
        location = new SimulationLogLocation(segments[^5], segments[^4], segments[^3], segments[^2]);
        return true;
    }

    private static string Safe(string segment)
    {
        if (segment.Length == 0 || segment is "." or ".." || segment.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw new ArgumentException($"'{segment}' cannot be used as a path segment.", nameof(segment));
        }
        return segment;
    }
}

/// <summary>Where a simulation log sits in the layout: whose planner, which scenario type, log and scenario.</summary>
public readonly record struct SimulationLogLocation(string PlannerName, string ScenarioType, string LogName, string ScenarioName);
