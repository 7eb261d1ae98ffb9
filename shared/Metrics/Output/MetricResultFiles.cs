using System.Text.Json;
using System.Text.Json.Serialization;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.IO;
using NuPlanBus.Metrics.Results;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace NuPlanBus.Metrics.Output;

/// <summary>
/// The metric output files. Per simulation, <see cref="WriteScenarioAsync"/> writes
/// <c>&lt;metrics&gt;/scenarios/&lt;type&gt;_&lt;name&gt;_&lt;planner&gt;.json</c> atomically (the devkit's pickle temp
/// files, kept as the re-derivable source). After the run, <see cref="MergeToParquetAsync"/> reads all of them in
/// file-name order and writes one <c>&lt;metrics&gt;/&lt;metric_statistics_name&gt;.parquet</c> per statistics name
/// with the devkit's columns. Statistic values are stored as double: BOOLEAN statistics as 1.0/0.0.
/// </summary>
public static class MetricResultFiles
{
    public const string ScenarioDirectoryName = "scenarios";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    /// <summary>Writes one scenario's results; returns the file path. An existing file for the same key is replaced.</summary>
    public static async Task<string> WriteScenarioAsync(string metricsDirectory, ScenarioMetricResult result, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metricsDirectory);
        ArgumentNullException.ThrowIfNull(result);
        var directory = Path.Combine(metricsDirectory, ScenarioDirectoryName);
        var path = Path.Combine(directory, SafeFileName(result.FileStem) + ".json");
        try
        {
            Directory.CreateDirectory(directory);
            await AtomicFile.WriteAsync(path, stream => JsonSerializer.SerializeAsync(stream, result, JsonOptions, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException("write", path, ex.Message, ex);
        }
        return path;
    }

    public static async Task<ScenarioMetricResult> ReadScenarioAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<ScenarioMetricResult>(stream, JsonOptions, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("The file holds null.");
        }
        catch (JsonException ex)
        {
            throw new SimulationLogFormatException(path, $"not a scenario metric file: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException("read", path, ex.Message, ex);
        }
    }

    /// <summary>All per-scenario files under <paramref name="metricsDirectory"/>, sorted by file name (ordinal).</summary>
    public static IReadOnlyList<string> ListScenarioFiles(string metricsDirectory)
    {
        var directory = Path.Combine(metricsDirectory, ScenarioDirectoryName);
        if (!Directory.Exists(directory))
        {
            return [];
        }
        var files = Directory.GetFiles(directory, "*.json");
        Array.Sort(files, (a, b) => string.CompareOrdinal(Path.GetFileName(a), Path.GetFileName(b)));
        return files;
    }

    /// <summary>
    /// Merges every per-scenario file into one Parquet per statistics name and returns the run aggregates.
    /// Rows keep file-name order; files are replaced atomically. The scenario files are left in place.
    /// </summary>
    public static async Task<MetricMergeResult> MergeToParquetAsync(string metricsDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metricsDirectory);
        var files = ListScenarioFiles(metricsDirectory);
        var tables = new SortedDictionary<string, List<MetricRow>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var result = await ReadScenarioAsync(file, cancellationToken).ConfigureAwait(false);
            foreach (var row in MetricRow.From(result))
            {
                if (!tables.TryGetValue(row.Statistics.Name, out var rows))
                {
                    tables[row.Statistics.Name] = rows = [];
                }
                rows.Add(row);
            }
        }

        var written = new List<string>(tables.Count);
        var aggregates = new List<MetricAggregate>(tables.Count);
        foreach (var (name, rows) in tables)
        {
            var path = Path.Combine(metricsDirectory, SafeFileName(name) + ".parquet");
            await WriteParquetAsync(path, rows, cancellationToken).ConfigureAwait(false);
            written.Add(path);
            aggregates.Add(Aggregate(name, rows));
        }
        return new MetricMergeResult(written, aggregates, files.Count);
    }

    /// <summary>Writes one statistics table with the devkit's column names.</summary>
    public static async Task WriteParquetAsync(string path, IReadOnlyList<MetricRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        // Statistic columns: the union over rows, in order of first appearance, so differing rows still fit one schema.
        var statisticNames = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            foreach (var statistic in row.Statistics.Statistics)
            {
                if (seen.Add(statistic.Name))
                {
                    statisticNames.Add(statistic.Name);
                }
            }
        }

        var fields = new List<Field>
        {
            new DataField<string>("log_name", nullable: true),
            new DataField<string>("scenario_name", nullable: true),
            new DataField<string>("scenario_type", nullable: true),
            new DataField<string>("planner_name", nullable: true),
            new DataField<string>("metric_computator", nullable: true),
            new DataField<string>("metric_statistics_name", nullable: true),
            new DataField<double?>("metric_score"),
            new DataField<string>("metric_score_unit", nullable: true),
            new DataField<string>("metric_category", nullable: true),
        };
        foreach (var name in statisticNames)
        {
            fields.Add(new DataField<string>($"{name}_stat_type", nullable: true));
            fields.Add(new DataField<string>($"{name}_stat_unit", nullable: true));
            fields.Add(new DataField<double?>($"{name}_stat_value"));
        }
        fields.Add(new DataField<string>("time_series_unit", nullable: true));
        fields.Add(new ListField("time_series_timestamps", new DataField<long>("element")));
        fields.Add(new ListField("time_series_values", new DataField<double>("element")));
        fields.Add(new ListField("time_series_selected_frames", new DataField<int>("element")));
        var schema = new ParquetSchema(fields);

        var data = new List<IDictionary<string, object?>>(rows.Count);
        foreach (var row in rows)
        {
            var statistics = row.Statistics;
            var series = statistics.TimeSeries;
            var record = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["log_name"] = row.LogName,
                ["scenario_name"] = row.ScenarioName,
                ["scenario_type"] = row.ScenarioType,
                ["planner_name"] = row.PlannerName,
                ["metric_computator"] = statistics.MetricComputator,
                ["metric_statistics_name"] = statistics.Name,
                ["metric_score"] = statistics.MetricScore,
                ["metric_score_unit"] = statistics.MetricScoreUnit,
                ["metric_category"] = statistics.Category,
            };
            foreach (var name in statisticNames)
            {
                record[$"{name}_stat_type"] = null;
                record[$"{name}_stat_unit"] = null;
                record[$"{name}_stat_value"] = null;
            }
            foreach (var statistic in statistics.Statistics)
            {
                record[$"{statistic.Name}_stat_type"] = statistic.Type.DevkitName();
                record[$"{statistic.Name}_stat_unit"] = statistic.Unit;
                record[$"{statistic.Name}_stat_value"] = statistic.Value;
            }
            record["time_series_unit"] = series?.Unit;
            record["time_series_timestamps"] = series?.TimestampsUs.ToArray();
            record["time_series_values"] = series?.Values.ToArray();
            record["time_series_selected_frames"] = series?.SelectedFrames?.ToArray();
            data.Add(record);
        }

        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(directory);
            await AtomicFile.WriteAsync(path, stream => ParquetSerializer.SerializeUntypedAsync(data, schema, stream, cancellationToken: cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException("write", path, ex.Message, ex);
        }
    }

    private static MetricAggregate Aggregate(string name, List<MetricRow> rows)
    {
        var scoreSum = 0.0;
        var scoreCount = 0;
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var row in rows)
        {
            if (row.Statistics.MetricScore is { } score && !double.IsNaN(score))
            {
                scoreSum += score;
                scoreCount++;
            }
            foreach (var statistic in row.Statistics.Statistics)
            {
                if (!sums.TryGetValue(statistic.Name, out var acc))
                {
                    order.Add(statistic.Name);
                    acc = (0, 0);
                }
                sums[statistic.Name] = double.IsNaN(statistic.Value) ? acc : (acc.Sum + statistic.Value, acc.Count + 1);
            }
        }
        var means = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var statisticName in order)
        {
            var (sum, count) = sums[statisticName];
            means[statisticName] = count == 0 ? double.NaN : sum / count;
        }
        return new MetricAggregate(name, rows.Count, scoreCount == 0 ? null : scoreSum / scoreCount, means);
    }

    /// <summary>Replaces characters that cannot appear in a file name; keys are normally already safe.</summary>
    internal static string SafeFileName(string stem)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var chars = stem.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (Array.IndexOf(invalid, chars[i]) >= 0)
            {
                chars[i] = '_';
            }
        }
        return new string(chars);
    }
}
