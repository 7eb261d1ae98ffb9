using NuPlanBus.Common.Storage;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.IntegrationTests;

/// <summary>Credentials come from the SDK's chain when the options carry no keys. Changes process environment, so serialised with the other moto tests.</summary>
[Collection(MotoCollection.Name)]
public sealed class S3CredentialTests(MotoServer moto, MotoResetOnce reset) : MotoTestBase(moto, reset)
{
    private S3StorageOptions WithoutKeys() => new() { ServiceUrl = Moto.Url, ForcePathStyle = true };

    [Fact]
    public async Task Environment_keys_are_used_through_the_default_chain()
    {
        var bucket = StoragePath.Parse($"s3://{await Moto.CreateBucketAsync(UniqueBucket("env"))}");
        using var scope = new EnvironmentScope(("AWS_ACCESS_KEY_ID", "from-env"), ("AWS_SECRET_ACCESS_KEY", "from-env-secret"));
        using var storage = new S3Storage(WithoutKeys());

        await storage.WriteTextAsync(bucket / "a.txt", "env");

        Assert.Equal("env", await storage.ReadTextAsync(bucket / "a.txt"));
    }

    [Fact]
    public async Task A_named_profile_from_the_shared_credentials_file_is_used()
    {
        var bucket = StoragePath.Parse($"s3://{await Moto.CreateBucketAsync(UniqueBucket("profile"))}");
        var file = Path.Combine(Path.GetTempPath(), $"nuplanbus-credentials-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, "[nuplan]\naws_access_key_id = profile-key\naws_secret_access_key = profile-secret\n");
        try
        {
            var options = WithoutKeys();
            options.Profile = "nuplan";
            options.CredentialsFile = file;
            using var storage = new S3Storage(options);

            await storage.WriteTextAsync(bucket / "p.txt", "profile");

            Assert.Equal("profile", await storage.ReadTextAsync(bucket / "p.txt"));
            options.Profile = "no-such-profile";
            Assert.Throws<ConfigurationException>(() => new S3Storage(options));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Half_a_key_pair_is_a_configuration_error()
    {
        var options = WithoutKeys();
        options.AccessKeyId = "only-the-id";

        Assert.Throws<ConfigurationException>(() => new S3Storage(options));
    }

    private sealed class EnvironmentScope : IDisposable
    {
        private readonly (string Name, string? Value)[] _previous;

        public EnvironmentScope(params (string Name, string Value)[] variables)
        {
            _previous = variables.Select(v => (v.Name, Environment.GetEnvironmentVariable(v.Name))).ToArray();
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
