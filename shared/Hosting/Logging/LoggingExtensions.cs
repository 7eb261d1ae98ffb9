using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace NuPlanBus.Hosting.Logging;

public sealed class LoggingSetup
{
    /// <summary>Minimum level written to the console. The CLI raises it so progress stays readable.</summary>
    public LogEventLevel ConsoleLevel { get; init; } = LogEventLevel.Information;

    /// <summary>Write console events as JSON lines (for log collectors) instead of text.</summary>
    public bool JsonConsole { get; init; }

    /// <summary>Appended to per-run log file names when several processes share one run directory.</summary>
    public string? InstanceSuffix { get; init; }
}

public static class LoggingExtensions
{
    /// <summary>Structured logging: console plus per-run, per-component files (see <see cref="RunLogSink"/>).</summary>
    public static IServiceCollection AddNuPlanBusLogging(this IServiceCollection services, LoggingSetup setup)
    {
        services.AddSerilog((_, configuration) =>
        {
            configuration
                .MinimumLevel.Debug()
                .MinimumLevel.Override("MassTransit", LogEventLevel.Information)
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .WriteTo.Sink(new RunLogSink(setup.InstanceSuffix), LogEventLevel.Debug);
            if (setup.JsonConsole)
            {
                configuration.WriteTo.Console(new CompactJsonFormatter(), setup.ConsoleLevel, standardErrorFromLevel: LogEventLevel.Verbose);
            }
            else
            {
                configuration.WriteTo.Console(
                    setup.ConsoleLevel,
                    "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: LogEventLevel.Verbose);
            }
        }, preserveStaticLogger: true); // each host keeps its own logger: several hosts may share a process (tests, tools)
        return services;
    }

    /// <summary>A log scope that routes the enclosed events to the run's component log files.</summary>
    public static IDisposable? BeginRunScope(this Microsoft.Extensions.Logging.ILogger logger, Guid runId, string runDirectory) =>
        logger.BeginScope(new Dictionary<string, object>
        {
            ["RunId"] = runId,
            [RunLogSink.RunDirectoryProperty] = runDirectory,
        });
}
