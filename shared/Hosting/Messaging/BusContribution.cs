using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace NuPlanBus.Hosting.Messaging;

/// <summary>
/// What one service adds to the bus (its consumers, sagas and their definitions). Each service's
/// <c>Add&lt;Service&gt;()</c> registers one, so a process hosting several services builds one bus with all of them.
/// </summary>
public sealed class BusContribution(string service, Action<IBusRegistrationConfigurator> configure)
{
    public string Service { get; } = service;

    public void Configure(IBusRegistrationConfigurator bus) => configure(bus);
}

public static class BusContributionExtensions
{
    public static IServiceCollection AddBusContribution(
        this IServiceCollection services, string service, Action<IBusRegistrationConfigurator> configure)
    {
        services.AddSingleton(new BusContribution(service, configure));
        return services;
    }

    /// <summary>Applies every contribution registered so far; also used by tests with MassTransit's test harness.</summary>
    public static void ApplyBusContributions(this IBusRegistrationConfigurator bus, IServiceCollection services)
    {
        var seen = new HashSet<string>();
        foreach (var descriptor in services.ToArray())
        {
            if (descriptor.ServiceType == typeof(BusContribution) && descriptor.ImplementationInstance is BusContribution contribution
                && seen.Add(contribution.Service))
            {
                contribution.Configure(bus);
            }
        }
    }
}
