namespace NuPlanBus.Domain.Errors;

/// <summary>
/// Root of the product's exception hierarchy. Subclasses of <see cref="UserInputException"/> describe
/// the user's own mistake (a wrong path, a corrupt file, an unknown name): they are reported as a message
/// and a non-zero exit, never as a stack trace. Anything else is a product defect and keeps its trace.
/// </summary>
public class NuPlanBusException : Exception
{
    public NuPlanBusException(string message)
        : base(message)
    {
    }

    public NuPlanBusException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Bad input from the user: arguments, configuration, files or messages.</summary>
public class UserInputException : NuPlanBusException
{
    public UserInputException(string message)
        : base(message)
    {
    }

    public UserInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An impossible or inconsistent configuration (unknown planner, partition size 0, …).</summary>
public class ConfigurationException : UserInputException
{
    public ConfigurationException(string message)
        : base(message)
    {
    }
}

/// <summary>A log database or dataset location that is missing, unreadable, not SQLite or not the nuPlan schema.</summary>
public class ScenarioDataException : UserInputException
{
    public ScenarioDataException(string path, string reason, Exception? innerException = null)
        : base($"{path}: {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    public string Path { get; }

    public string Reason { get; }
}

/// <summary>A stored simulation log that cannot be read (truncated, another format version, not a log).</summary>
public class SimulationLogFormatException : UserInputException
{
    public SimulationLogFormatException(string path, string reason, Exception? innerException = null)
        : base($"{path}: {reason}", innerException)
    {
        Path = path;
    }

    public string Path { get; }
}

/// <summary>A storage operation failed; names the operation and the path.</summary>
public class StorageException : NuPlanBusException
{
    public StorageException(string operation, string path, string reason, Exception? innerException = null)
        : base($"Storage {operation} failed for '{path}': {reason}", innerException)
    {
        Operation = operation;
        Path = path;
    }

    public string Operation { get; }

    public string Path { get; }
}

/// <summary>
/// A nuPlan map that cannot be used: a maps root or map version file that is missing, a location it does not list,
/// a GeoPackage that is corrupt or lacks a layer or column the map API needs, or map content that breaks the
/// devkit's invariants. The message names the file (and the layer) concerned.
/// </summary>
public class MapDataException : UserInputException
{
    public MapDataException(string path, string reason, Exception? innerException = null)
        : base($"{path}: {reason}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    public string Path { get; }

    public string Reason { get; }
}
