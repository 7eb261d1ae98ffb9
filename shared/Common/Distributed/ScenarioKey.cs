namespace NuPlanBus.Common.Distributed;

/// <summary>
/// The lightweight identity of a scenario that multi-node distribution moves around: its token and the name of its
/// log. Implementations are cheap to build from those two strings (they travel through token CSV files).
/// </summary>
public interface IScenarioKey<TSelf>
    where TSelf : IScenarioKey<TSelf>
{
    /// <summary>The scenario token, kept as a string exactly as enumerated (<c>0012</c> stays <c>0012</c>).</summary>
    string Token { get; }

    /// <summary>The log file's name without directory and <c>.db</c> extension.</summary>
    string LogName { get; }

    static abstract TSelf Create(string token, string logName);
}

/// <summary>The plain (token, log name) pair.</summary>
public readonly record struct ScenarioKey(string Token, string LogName) : IScenarioKey<ScenarioKey>
{
    public static ScenarioKey Create(string token, string logName) => new(token, logName);
}
