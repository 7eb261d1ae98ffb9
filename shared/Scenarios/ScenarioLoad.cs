using System.Runtime.ExceptionServices;
using NuPlanBus.Domain.Scenarios;

namespace NuPlanBus.Scenarios;

/// <summary>One scenario of a group load: the scenario, or the error that kept it from loading.</summary>
public readonly record struct ScenarioLoad
{
    private ScenarioLoad(RecordedScenario? scenario, Exception? error)
    {
        Scenario = scenario;
        Error = error;
    }

    public RecordedScenario? Scenario { get; }

    public Exception? Error { get; }

    public static ScenarioLoad Loaded(RecordedScenario scenario) =>
        new(scenario ?? throw new ArgumentNullException(nameof(scenario)), null);

    public static ScenarioLoad Failed(Exception error) =>
        new(null, error ?? throw new ArgumentNullException(nameof(error)));

    /// <summary>The scenario, or its error rethrown with the stack it was raised with.</summary>
    public RecordedScenario GetOrThrow()
    {
        if (Error is not null)
        {
            ExceptionDispatchInfo.Throw(Error);
        }
        return Scenario ?? throw new InvalidOperationException("The scenario was neither loaded nor failed.");
    }
}
