using System.Buffers.Binary;

namespace NuPlanBus.Scenarios.Synthetic;

/// <summary>Writes the one pickle shape the lidar table holds: a protocol-2 list of floats.</summary>
internal static class PythonPickle
{
    public static byte[] FloatList(params double[] values)
    {
        // PROTO 2, EMPTY_LIST, BINPUT 0, MARK, (BINFLOAT big-endian)*, APPENDS, STOP.
        var bytes = new byte[2 + 1 + 2 + 1 + values.Length * 9 + 2];
        var i = 0;
        bytes[i++] = 0x80;
        bytes[i++] = 2;
        bytes[i++] = (byte)']';
        bytes[i++] = (byte)'q';
        bytes[i++] = 0;
        bytes[i++] = (byte)'(';
        foreach (var value in values)
        {
            bytes[i++] = (byte)'G';
            BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(i, 8), value);
            i += 8;
        }
        bytes[i++] = (byte)'e';
        bytes[i] = (byte)'.';
        return bytes;
    }
}
