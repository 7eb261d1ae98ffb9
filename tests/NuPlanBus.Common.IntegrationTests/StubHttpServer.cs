using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NuPlanBus.Common.IntegrationTests;

/// <summary>
/// A minimal HTTP/1.1 server on loopback that answers every request with one fixed status and XML body, or never
/// answers at all: the failure modes of a real endpoint that moto cannot produce on demand.
/// </summary>
public sealed class StubHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _status;
    private readonly string _reason;
    private readonly string _body;
    private readonly bool _hang;
    private int _requests;

    private StubHttpServer(int status, string reason, string body, bool hang)
    {
        _status = status;
        _reason = reason;
        _body = body;
        _hang = hang;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Requests => Volatile.Read(ref _requests);

    public static StubHttpServer S3Error(int status, string reason, string code) =>
        new(status, reason, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{code} from stub</Message><RequestId>stub</RequestId></Error>", hang: false);

    public static StubHttpServer Hanging() => new(0, string.Empty, string.Empty, hang: true);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                while (!_stop.IsCancellationRequested)
                {
                    var contentLength = await ReadHeadersAsync(stream);
                    if (contentLength < 0)
                    {
                        return;
                    }
                    Interlocked.Increment(ref _requests);
                    var discard = new byte[8192];
                    for (var left = contentLength; left > 0;)
                    {
                        var read = await stream.ReadAsync(discard.AsMemory(0, (int)Math.Min(discard.Length, left)), _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }
                        left -= read;
                    }
                    if (_hang)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }
                    var body = Encoding.UTF8.GetBytes(_body);
                    var head = $"HTTP/1.1 {_status} {_reason}\r\nContent-Type: application/xml\r\nContent-Length: {body.Length}\r\nx-amz-request-id: stub\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away or the stub stopped.
            }
        }
    }

    /// <summary>Reads one request head; returns its Content-Length (0 when absent), or -1 at end of stream.</summary>
    private async Task<long> ReadHeadersAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return -1;
            }
            head.Append((char)one[0]);
        }
        foreach (var line in head.ToString().Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return long.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}
