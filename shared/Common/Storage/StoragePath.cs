using System.Net;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Storage;

/// <summary>
/// A local path or an <c>s3://bucket/key</c> URI.
/// </summary>
/// <remarks>
/// <para>Unlike the devkit's <c>safe_path_to_string</c>, which strips the character set {s, 3, :, /} and so turns
/// <c>s3://scratch/a</c> into <c>s3://cratch/a</c>, parsing removes the scheme (<c>s3://</c> or <c>s3:/</c>) exactly once.</para>
/// <para>Recognition is case-sensitive like the devkit: only a lowercase <c>s3:</c> prefix is S3. Anything else that looks
/// like a URI (<c>S3://x</c>, <c>gs://x</c>, <c>s3:bucket</c>) is rejected with a <see cref="UserInputException"/> instead of
/// silently becoming a strange relative local path.</para>
/// <para>S3 keys are normalised to '/'-separated segments: doubled and trailing slashes disappear (as in the devkit), but
/// whitespace is kept (spaces are legal in keys; the devkit's trimming is a mangling) and "." / ".." segments are rejected.
/// Consequently an object whose key contains an empty segment (<c>a//b</c>) cannot be addressed.</para>
/// <para>Local paths are made absolute with <see cref="Path.GetFullPath(string)"/>; their <see cref="Key"/> is the full path.</para>
/// </remarks>
public readonly record struct StoragePath : IComparable<StoragePath>
{
    private const string S3Scheme = "s3://";
    private const string CollapsedS3Scheme = "s3:/";

    private StoragePath(string value, string? bucket, string key)
    {
        Value = value;
        Bucket = bucket;
        Key = key;
    }

    /// <summary>The canonical string form (<c>s3://bucket/key</c> or a full local path).</summary>
    public string Value { get; }

    /// <summary>The bucket for S3 paths; null for local paths.</summary>
    public string? Bucket { get; }

    /// <summary>The object key for S3 (empty for the bucket root); the full path for local paths.</summary>
    public string Key { get; }

    public bool IsS3 => Bucket is not null;

    /// <summary>Whether this is <c>default(StoragePath)</c>, which names nothing.</summary>
    public bool IsEmpty => Value is null;

    /// <summary>The last segment (file or directory name); empty for a bucket root or a file-system root.</summary>
    public string Name
    {
        get
        {
            if (IsS3)
            {
                var slash = Key.LastIndexOf('/');
                return slash < 0 ? Key : Key[(slash + 1)..];
            }
            return Path.GetFileName(Key);
        }
    }

    /// <summary>The containing directory; null at a bucket root or a file-system root.</summary>
    public StoragePath? Parent
    {
        get
        {
            if (IsS3)
            {
                if (Key.Length == 0)
                {
                    return null;
                }
                var slash = Key.LastIndexOf('/');
                return FromValidated(Bucket!, slash < 0 ? string.Empty : Key[..slash]);
            }
            var parent = Path.GetDirectoryName(Key);
            return parent is null ? null : Local(parent);
        }
    }

    /// <summary>The S3 prefix that lists this path's children: <c>key/</c>, or empty for the bucket root.</summary>
    public string DirectoryPrefix => !IsS3 ? throw new InvalidOperationException("Only S3 paths have a directory prefix.")
        : Key.Length == 0 ? string.Empty : Key + "/";

    /// <summary>Parses a local path, <c>s3://bucket/key</c> or the collapsed form <c>s3:/bucket/key</c>.</summary>
    /// <exception cref="UserInputException">Empty input, a malformed S3 URI, an invalid bucket name or another URI scheme.</exception>
    public static StoragePath Parse(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new UserInputException("A storage path must not be empty.");
        }

        if (value.StartsWith(CollapsedS3Scheme, StringComparison.Ordinal))
        {
            var rest = value.StartsWith(S3Scheme, StringComparison.Ordinal) ? value[S3Scheme.Length..] : value[CollapsedS3Scheme.Length..];
            if (rest.Length == 0 || rest[0] == '/')
            {
                throw new UserInputException($"Malformed S3 URI '{value}': no bucket name (expected s3://bucket/key).");
            }
            var slash = rest.IndexOf('/');
            var bucket = slash < 0 ? rest : rest[..slash];
            var key = slash < 0 ? string.Empty : rest[(slash + 1)..];
            return S3(bucket, key);
        }

        var schemeEnd = value.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && IsSchemeName(value.AsSpan(0, schemeEnd)))
        {
            throw new UserInputException(
                $"Unsupported storage URI '{value}': only local paths and s3://bucket/key are supported (the scheme is case-sensitive).");
        }
        if (value.StartsWith("s3:", StringComparison.Ordinal))
        {
            throw new UserInputException($"Malformed S3 URI '{value}': expected s3://bucket/key.");
        }
        return Local(value);
    }

    public static bool TryParse(string? value, out StoragePath path)
    {
        try
        {
            path = Parse(value!);
            return true;
        }
        catch (UserInputException)
        {
            path = default;
            return false;
        }
    }

    public static StoragePath Local(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new UserInputException("A local path must not be empty.");
        }
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full);
        if (full.Length > (root?.Length ?? 0))
        {
            full = Path.TrimEndingDirectorySeparator(full);
        }
        return new StoragePath(full, null, full);
    }

    /// <summary>An S3 path from a bucket and a key (the key may be empty for the bucket root).</summary>
    public static StoragePath S3(string bucket, string key)
    {
        var problem = ValidateBucketName(bucket);
        if (problem is not null)
        {
            throw new UserInputException($"Invalid S3 bucket name '{bucket}': {problem}.");
        }
        return FromValidated(bucket, NormalizeKey(key ?? string.Empty, bucket));
    }

    /// <summary>Appends a relative '/'-separated path (S3) or a relative file-system path (local).</summary>
    public StoragePath Combine(string relative)
    {
        ThrowIfEmpty();
        ArgumentNullException.ThrowIfNull(relative);
        if (relative.Contains("://", StringComparison.Ordinal))
        {
            throw new UserInputException($"Cannot append '{relative}' to '{Value}': it is not a relative path.");
        }
        if (IsS3)
        {
            if (relative.StartsWith('/'))
            {
                throw new UserInputException($"Cannot append '{relative}' to '{Value}': it is not a relative path.");
            }
            return S3(Bucket!, Key.Length == 0 ? relative : Key + "/" + relative);
        }
        if (Path.IsPathRooted(relative))
        {
            throw new UserInputException($"Cannot append '{relative}' to '{Value}': it is not a relative path.");
        }
        return Local(Path.Join(Key, relative));
    }

    public static StoragePath operator /(StoragePath left, string right) => left.Combine(right);

    /// <summary>Whether this path is <paramref name="directory"/> itself or lies below it.</summary>
    public bool IsWithin(StoragePath directory)
    {
        ThrowIfEmpty();
        if (IsS3 != directory.IsS3 || Bucket != directory.Bucket)
        {
            return false;
        }
        if (IsS3)
        {
            return directory.Key.Length == 0 || Key == directory.Key || Key.StartsWith(directory.Key + "/", StringComparison.Ordinal);
        }
        var prefix = Path.EndsInDirectorySeparator(directory.Key) ? directory.Key : directory.Key + Path.DirectorySeparatorChar;
        return Key == directory.Key || Key.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>The '/'-separated path of this path relative to <paramref name="directory"/> (empty when equal).</summary>
    public string RelativeTo(StoragePath directory)
    {
        if (!IsWithin(directory))
        {
            throw new ArgumentException($"'{Value}' is not within '{directory.Value}'.", nameof(directory));
        }
        if (IsS3)
        {
            return Key == directory.Key ? string.Empty : directory.Key.Length == 0 ? Key : Key[(directory.Key.Length + 1)..];
        }
        var relative = Path.GetRelativePath(directory.Key, Key);
        return relative == "." ? string.Empty : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>
    /// Orders by Unicode code point of <see cref="Value"/>, which is the UTF-8 byte order S3 lists keys in; for text
    /// without characters outside the Basic Multilingual Plane it equals ordinal order.
    /// </summary>
    public int CompareTo(StoragePath other) => CompareCodePoints(Value, other.Value);

    public override string ToString() => Value ?? string.Empty;

    /// <summary>Returns why <paramref name="bucket"/> breaks the S3 bucket naming rules, or null when it is valid.</summary>
    public static string? ValidateBucketName(string? bucket)
    {
        if (string.IsNullOrEmpty(bucket))
        {
            return "empty";
        }
        if (bucket.Length is < 3 or > 63)
        {
            return "must be 3 to 63 characters long";
        }
        foreach (var c in bucket)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-'))
            {
                return "only lowercase letters, digits, '.' and '-' are allowed";
            }
        }
        if (!char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            return "must begin and end with a letter or digit";
        }
        if (bucket.Contains("..", StringComparison.Ordinal))
        {
            return "must not contain two adjacent periods";
        }
        if (bucket.Count(c => c == '.') == 3 && IPAddress.TryParse(bucket, out _))
        {
            return "must not be formatted as an IP address";
        }
        foreach (var prefix in ReservedPrefixes)
        {
            if (bucket.StartsWith(prefix, StringComparison.Ordinal))
            {
                return $"the prefix '{prefix}' is reserved";
            }
        }
        foreach (var suffix in ReservedSuffixes)
        {
            if (bucket.EndsWith(suffix, StringComparison.Ordinal))
            {
                return $"the suffix '{suffix}' is reserved";
            }
        }
        return null;
    }

    internal static int CompareCodePoints(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return left is null ? (right is null ? 0 : -1) : 1;
        }
        var length = Math.Min(left.Length, right.Length);
        for (var i = 0; i < length; i++)
        {
            var a = left[i];
            var b = right[i];
            if (a == b)
            {
                continue;
            }
            // Surrogates (U+D800–U+DFFF) encode code points above U+FFFF, so they sort after every other UTF-16 unit.
            var aRank = char.IsSurrogate(a) ? a + 0x10000 : a;
            var bRank = char.IsSurrogate(b) ? b + 0x10000 : b;
            return aRank.CompareTo(bRank);
        }
        return left.Length.CompareTo(right.Length);
    }

    private static StoragePath FromValidated(string bucket, string normalizedKey) =>
        new(S3Scheme + bucket + (normalizedKey.Length == 0 ? string.Empty : "/" + normalizedKey), bucket, normalizedKey);

    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    private static string NormalizeKey(string key, string bucket)
    {
        var segments = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            if (segment is "." or "..")
            {
                throw new UserInputException($"Invalid S3 key '{key}' in bucket '{bucket}': '.' and '..' segments are not allowed.");
            }
        }
        return string.Join('/', segments);
    }

    private static bool IsSchemeName(ReadOnlySpan<char> candidate)
    {
        if (!char.IsAsciiLetter(candidate[0]))
        {
            return false;
        }
        foreach (var c in candidate)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    private void ThrowIfEmpty()
    {
        if (IsEmpty)
        {
            throw new InvalidOperationException("The storage path is empty (default).");
        }
    }
}
