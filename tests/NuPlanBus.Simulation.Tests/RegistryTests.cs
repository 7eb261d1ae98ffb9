using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Registries;
using NuPlanBus.Simulation.Components;

namespace NuPlanBus.Simulation.Tests;

public class RegistryTests
{
    [Fact]
    public void An_unknown_name_lists_the_known_names()
    {
        var registry = BuiltInComponents.EgoControllerRegistry();
        var ex = Assert.Throws<ConfigurationException>(() => registry.Get("ilqr_controller"));
        Assert.Contains("'ilqr_controller'", ex.Message);
        Assert.Contains("log_play_back_controller, perfect_tracking_controller, two_stage_controller", ex.Message);
    }

    [Fact]
    public void A_duplicate_name_fails_at_construction()
    {
        var ex = Assert.Throws<ConfigurationException>(() =>
            BuiltInComponents.PlannerRegistry([new SimplePlannerFactory()]));
        Assert.Contains("simple_planner", ex.Message);
    }

    [Fact]
    public void Built_in_names_resolve()
    {
        Assert.IsType<SimplePlannerFactory>(BuiltInComponents.PlannerRegistry().Get("simple_planner"));
        Assert.IsType<LogFuturePlannerFactory>(BuiltInComponents.PlannerRegistry().Get("log_future_planner"));
        Assert.IsType<TracksObservationFactory>(BuiltInComponents.ObservationRegistry().Get("box_observation"));
        Assert.IsType<TwoStageControllerFactory>(BuiltInComponents.EgoControllerRegistry().Get("two_stage_controller"));
        var registry = new NamedRegistry<string>(["a", "b"], s => s);
        Assert.Equal(["a", "b"], registry.Names);
        Assert.True(registry.TryGet("b", out var b));
        Assert.Equal("b", b);
    }
}
