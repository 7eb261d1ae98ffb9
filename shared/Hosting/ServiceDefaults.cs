using Microsoft.Extensions.Hosting;
using NuPlanBus.Hosting.Logging;
using NuPlanBus.Hosting.Observability;
using Serilog.Events;

namespace NuPlanBus.Hosting;

/// <summary>
/// Cross-cutting defaults every host gets, a deployed service or the embedded process: structured logging (console
/// and per-run files) and the management endpoint (health, Prometheus).
/// </summary>
public static class ServiceDefaults
{
    /// <param name="builder">The host being built.</param>
    /// <param name="component">The name the logs and metrics carry.</param>
    /// <param name="consoleLevel">Minimum console level; the CLI raises it so progress stays readable.</param>
    /// <param name="instanceSuffix">
    /// Appended to per-run log file names; by default the component, machine and process, so the services of a
    /// deployment sharing a run directory never mix their logs.
    /// </param>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string component,
        LogEventLevel consoleLevel = LogEventLevel.Information, string? instanceSuffix = null)
    {
        // Logging:Format (not Logging:Console:Format, which the console provider binds to its own enum).
        var json = string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddNuPlanBusLogging(new LoggingSetup
        {
            ConsoleLevel = consoleLevel,
            JsonConsole = json,
            InstanceSuffix = instanceSuffix ?? $"{component}-{Environment.MachineName}-{Environment.ProcessId}",
        });
        builder.AddManagement(component);
        return builder;
    }
}
