namespace NuPlanBus.Scenarios;

/// <summary>
/// nuPlan tokens are BLOB primary keys that the devkit exposes as lowercase hex (<c>bytes.hex()</c>).
/// User-supplied scenario tokens must be exactly 16 hex characters (8 bytes), as the devkit validates.
/// </summary>
public static class NuPlanToken
{
    public const int HexLength = 16;

    public static string ToHex(ReadOnlySpan<byte> token) => Convert.ToHexStringLower(token);

    /// <summary>True when <paramref name="token"/> is exactly 16 hex characters (either case).</summary>
    public static bool IsValid(string? token)
    {
        if (token is null || token.Length != HexLength)
        {
            return false;
        }
        foreach (var c in token)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Parses any even-length hex string into the blob the database stores.</summary>
    public static byte[] FromHex(string token) => Convert.FromHexString(token);

    /// <summary>Reads a token as a 64-bit key without allocating; false for tokens that are not 8 bytes.</summary>
    internal static bool TryGetKey(ReadOnlySpan<byte> token, out long key)
    {
        if (token.Length == 8)
        {
            key = BitConverter.ToInt64(token);
            return true;
        }
        key = 0;
        return false;
    }
}
