using System.Collections.Concurrent;
using NuPlanBus.Common.Experiments;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;

namespace NuPlanBus.Hosting.Logging;

/// <summary>
/// Routes every log event that carries a <c>RunDirectory</c> property (consumers open a log scope with it)
/// to that run's <c>logs/&lt;component&gt;.log</c>, one JSON object per line, so each run keeps the logs of
/// each component next to its results.
/// </summary>
public sealed class RunLogSink(string? instanceSuffix) : ILogEventSink, IDisposable
{
    public const string RunDirectoryProperty = "RunDirectory";

    private readonly ConcurrentDictionary<string, Writer> _writers = new();
    private readonly ITextFormatter _formatter = new CompactJsonFormatter();

    public void Emit(LogEvent logEvent)
    {
        if (!logEvent.Properties.TryGetValue(RunDirectoryProperty, out var value)
            || value is not ScalarValue { Value: string runDirectory }
            || runDirectory.Length == 0)
        {
            return;
        }
        var component = ComponentNames.Of(logEvent);
        var fileName = string.IsNullOrEmpty(instanceSuffix) ? component : $"{component}-{instanceSuffix}";
        var path = RunLayout.ComponentLog(runDirectory, fileName);
        var writer = _writers.GetOrAdd(path, static p => new Writer(p));
        writer.Write(logEvent, _formatter);
    }

    public void Dispose()
    {
        foreach (var writer in _writers.Values)
        {
            writer.Dispose();
        }
        _writers.Clear();
    }

    private sealed class Writer : IDisposable
    {
        private readonly object _gate = new();
        private readonly string _path;
        private StreamWriter? _stream;

        public Writer(string path) => _path = path;

        public void Write(LogEvent logEvent, ITextFormatter formatter)
        {
            lock (_gate)
            {
                try
                {
                    if (_stream is null)
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                        _stream = new StreamWriter(new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                        {
                            AutoFlush = true,
                        };
                    }
                    formatter.Format(logEvent, _stream);
                }
                catch (IOException)
                {
                    // A run directory that vanished (deleted by retention) must not break logging elsewhere.
                    _stream?.Dispose();
                    _stream = null;
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stream?.Dispose();
                _stream = null;
            }
        }
    }
}

/// <summary>Which product component a log event belongs to, from its source context.</summary>
public static class ComponentNames
{
    public static string Of(LogEvent logEvent)
    {
        var source = logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string s } ? s : "";
        return Of(source);
    }

    public static string Of(string sourceContext) => sourceContext switch
    {
        _ when sourceContext.StartsWith("NuPlanBus.Coordinator", StringComparison.Ordinal) => "coordinator",
        _ when sourceContext.StartsWith("NuPlanBus.SimWorker", StringComparison.Ordinal) => "simworker",
        _ when sourceContext.StartsWith("NuPlanBus.MetricWorker", StringComparison.Ordinal) => "metricworker",
        _ when sourceContext.StartsWith("NuPlanBus.StorageGateway", StringComparison.Ordinal) => "storagegateway",
        _ when sourceContext.StartsWith("MassTransit", StringComparison.Ordinal) => "bus",
        _ => "nuplanbus",
    };
}
