using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace NuPlanBus.Hosting.Messaging;

public static class BusExtensions
{
    /// <summary>
    /// Builds the one bus of this process from the contributions of the services added before this call,
    /// on the transport chosen by configuration (<c>Bus:Transport</c>: InMemory or RabbitMq).
    /// </summary>
    public static IServiceCollection AddNuPlanBus(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        services.AddOptions<RabbitMqOptions>()
            .Bind(configuration.GetSection($"{BusOptions.Section}:RabbitMq"))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.ApplyBusContributions(services);
            switch (options.Transport)
            {
                case BusTransport.InMemory:
                    bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
                    break;
                case BusTransport.RabbitMq:
                    bus.UsingRabbitMq((context, cfg) =>
                    {
                        var rabbit = options.RabbitMq;
                        cfg.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, h =>
                        {
                            h.Username(rabbit.Username);
                            h.Password(rabbit.Password);
                            if (rabbit.UseTls)
                            {
                                h.UseSsl(s => s.Protocol = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
                            }
                        });
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
                default:
                    throw new InvalidOperationException($"Unknown bus transport '{options.Transport}'.");
            }
        });
        services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.ConsumerStopTimeout = options.StopTimeout;
            o.StopTimeout = options.StopTimeout;
        });
        return services;
    }
}
