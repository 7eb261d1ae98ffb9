using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace NuPlanBus.Hosting.Observability;

/// <summary>
/// The management HTTP server of a Generic Host: a small Kestrel app of its own, started and stopped with the
/// host, serving <c>/metrics</c> (Prometheus text 0.0.4), <c>/health/live</c> and <c>/health/ready</c>. Registered
/// before the bus, it starts first and stops last, so liveness answers through start-up and shutdown while
/// readiness says 503 until every check tagged <c>ready</c> is healthy, and again once the host is stopping.
/// </summary>
internal sealed class ManagementServer(
    IServiceProvider hostServices,
    IOptions<ManagementOptions> options,
    NuPlanBusMetrics metrics,
    ManagementEndpoint endpoint,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ManagementServer>();
    private WebApplication? _app;
    private volatile bool _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            endpoint.NotListening($"The management server is disabled ({ManagementOptions.Section}:{nameof(ManagementOptions.Enabled)}=false).");
            return;
        }

        lifetime.ApplicationStopping.Register(() => _stopping = true);
        var address = ParseBindAddress(settings.Host);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ManagementServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address, settings.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(loggerFactory);
        // The outer host owns Ctrl+C and SIGTERM; a second console lifetime would race it.
        builder.Services.AddSingleton<IHostLifetime, OwnedByOuterHost>();

        var app = builder.Build();
        app.MapGet("/health/live", (RequestDelegate)WriteLiveAsync);
        app.MapGet("/health/ready", (RequestDelegate)WriteReadyAsync);
        app.MapMetrics(s =>
        {
            s.Registry = metrics.Registry;
            // Text 0.0.4 for every scraper: the OpenMetrics variant adds nothing we use (no exemplars).
            s.EnableOpenMetrics = false;
        }, "/metrics");

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException(
                $"The management server could not listen on {settings.Host}:{settings.Port} " +
                $"(set {ManagementOptions.Section}:{nameof(ManagementOptions.Port)}, 0 for any free port, or {ManagementOptions.Section}:{nameof(ManagementOptions.Enabled)}=false).",
                ex);
        }

        _app = app;
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.Listening(ToClientAddress(new Uri(bound)));
        _logger.LogInformation("Management endpoints for {Service} on {Address} (/metrics, /health/live, /health/ready)",
            metrics.ServiceName, endpoint.BaseAddress);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        if (_app is { } app)
        {
            _app = null;
            endpoint.NotListening("The management server has stopped.");
            await app.StopAsync(cancellationToken);
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.DisposeAsync();
        }
    }

    private static Task WriteLiveAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync("{\"status\":\"Healthy\"}", context.RequestAborted);
    }

    private async Task WriteReadyAsync(HttpContext context)
    {
        var health = hostServices.GetRequiredService<HealthCheckService>();
        var report = await health.CheckHealthAsync(r => r.Tags.Contains(ObservabilityExtensions.ReadyTag), context.RequestAborted);
        var stopping = _stopping;
        var ready = report.Status == HealthStatus.Healthy && !stopping;

        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("status", ready ? nameof(HealthStatus.Healthy) : stopping ? "Stopping" : report.Status.ToString());
        json.WriteNumber("durationSeconds", Math.Round(report.TotalDuration.TotalSeconds, 6));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationSeconds", Math.Round(entry.Duration.TotalSeconds, 6));
            if (entry.Exception is { } exception)
            {
                json.WriteString("error", $"{exception.GetType().Name}: {exception.Message}");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static IPAddress ParseBindAddress(string host) => host.Trim() switch
    {
        "*" or "+" or "" => IPAddress.Any,
        "localhost" => IPAddress.Loopback,
        var text when IPAddress.TryParse(text.Trim('[', ']'), out var address) => address,
        var text => throw new OptionsValidationException(ManagementOptions.Section, typeof(ManagementOptions),
            [$"{ManagementOptions.Section}:{nameof(ManagementOptions.Host)} must be an IP address or localhost, not '{text}'."]),
    };

    /// <summary>Kestrel reports a wildcard bind as 0.0.0.0 or [::]; a client in this process reaches it on loopback.</summary>
    private static Uri ToClientAddress(Uri bound)
    {
        var host = bound.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            var other => other,
        };
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"{bound.Scheme}://{host}:{bound.Port}/"));
    }

    private sealed class OwnedByOuterHost : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
