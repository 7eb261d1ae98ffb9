using Microsoft.Extensions.Hosting;
using NuPlanBus.Hosting.Logging;
using NuPlanBus.Hosting.Observability;
using Serilog.Events;

namespace NuPlanBus.Hosting;

/// <summary>Cross-cutting defaults every service host gets: structured logging (console and per-run files).</summary>
public static class ServiceDefaults
{
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder, string component)
    {
        // Logging:Format (not Logging:Console:Format, which the console provider binds to its own enum).
        var json = string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddNuPlanBusLogging(new LoggingSetup
        {
            ConsoleLevel = LogEventLevel.Information,
            JsonConsole = json,
            InstanceSuffix = $"{component}-{Environment.MachineName}-{Environment.ProcessId}",
        });
        builder.AddManagement(component);
        return builder;
    }
}
