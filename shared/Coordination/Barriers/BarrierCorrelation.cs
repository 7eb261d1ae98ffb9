using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NuPlanBus.Coordination.Barriers;

/// <summary>
/// The barrier saga's correlation id: a name-based (RFC 9562 version 5, SHA-1) Guid of "barrierId/generation", so every
/// participant, the saga and the deadline watchdog derive the same id without talking to each other.
/// </summary>
public static class BarrierCorrelation
{
    /// <summary>A fixed namespace for barrier names; changing it changes every barrier's id on the wire.</summary>
    private static readonly Guid Namespace = new("3b0a5c8e-6f0e-5d1c-9a47-2f6b1e0d7c11");

    public static Guid For(string barrierId, long generation)
    {
        ArgumentException.ThrowIfNullOrEmpty(barrierId);
        var name = barrierId + "/" + generation.ToString(CultureInfo.InvariantCulture);
        Span<byte> input = stackalloc byte[16 + Encoding.UTF8.GetByteCount(name)];
        Namespace.TryWriteBytes(input[..16], bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input[16..]);
        Span<byte> hash = stackalloc byte[20];
#pragma warning disable CA5350 // SHA-1 is what RFC 9562 specifies for name-based v5 ids; no security property is needed.
        SHA1.HashData(input, hash);
#pragma warning restore CA5350
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
