using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace NuPlanBus.Observability.IntegrationTests;

public sealed class MassTransitMeterTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_host_started_after_another_host_was_disposed_still_exports_MassTransit_series()
    {
        using (var first = ObservedHost.Build("First"))
        {
            await first.StartAsync();
            await first.Services.GetRequiredService<IBus>().Publish(new ObservabilityPing { RunId = Guid.NewGuid() });
            await WaitForConsumeAsync(first);
            await first.StopAsync();
        }

        using var second = ObservedHost.Build("Second");
        await second.StartAsync();
        await second.Services.GetRequiredService<IBus>().Publish(new ObservabilityPing { RunId = Guid.NewGuid() });

        await WaitForConsumeAsync(second);
        await second.StopAsync();
    }

    private static async Task WaitForConsumeAsync(IHost host)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var text = await Http.GetStringAsync(host.MetricsUri());
            if (text.Contains("masstransit_consume_duration_seconds_count{", StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"No MassTransit consume series in:\n{text}");
            await Task.Delay(100);
        }
    }
}
