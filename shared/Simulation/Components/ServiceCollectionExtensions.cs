using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NuPlanBus.Domain.Simulation;

namespace NuPlanBus.Simulation.Components;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the planner, controller and observation registries: the built-ins plus every factory
    /// registered in the container (a custom planner is one <c>AddSingleton&lt;IPlannerFactory, …&gt;()</c>).
    /// A duplicate name fails when the registry is first resolved.
    /// </summary>
    public static IServiceCollection AddSimulationComponents(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => BuiltInComponents.PlannerRegistry(sp.GetServices<IPlannerFactory>()));
        services.TryAddSingleton(sp => BuiltInComponents.EgoControllerRegistry(sp.GetServices<IEgoControllerFactory>()));
        services.TryAddSingleton(sp => BuiltInComponents.ObservationRegistry(sp.GetServices<IObservationFactory>()));
        return services;
    }
}
