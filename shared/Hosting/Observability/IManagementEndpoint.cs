namespace NuPlanBus.Hosting.Observability;

/// <summary>Where this host's management server listens, once it has started (tests and the embedded mode use it to find a port-0 server).</summary>
public interface IManagementEndpoint
{
    /// <summary>True once the server is listening; false before start, after stop, or when <c>Management:Enabled</c> is false.</summary>
    bool IsListening { get; }

    /// <summary>
    /// The server's base address, e.g. <c>http://127.0.0.1:8081/</c> (a wildcard bind is reported as loopback).
    /// Throws <see cref="InvalidOperationException"/> when the server is not listening.
    /// </summary>
    Uri BaseAddress { get; }
}

internal sealed class ManagementEndpoint : IManagementEndpoint
{
    private volatile Uri? _baseAddress;
    private volatile string _notListeningReason = "The management server has not started yet.";

    public bool IsListening => _baseAddress is not null;

    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException(_notListeningReason);

    internal void Listening(Uri baseAddress) => _baseAddress = baseAddress;

    internal void NotListening(string reason)
    {
        _notListeningReason = reason;
        _baseAddress = null;
    }
}
