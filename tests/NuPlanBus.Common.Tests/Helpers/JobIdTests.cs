using NuPlanBus.Common.Helpers;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Tests.Helpers;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

[Collection(ProcessEnvironmentCollection.Name)]
public class JobIdTests : IDisposable
{
    private readonly string? _saved = Environment.GetEnvironmentVariable(JobId.EnvironmentVariable);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(JobId.EnvironmentVariable, _saved);
        JobId.Reset();
    }

    [Fact]
    public void The_id_is_the_sha256_of_NUPLAN_JOB_ID()
    {
        Assert.Equal("5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5", JobId.Compute("12345"));
    }

    [Fact]
    public void Get_reads_the_environment_once_until_reset()
    {
        Environment.SetEnvironmentVariable(JobId.EnvironmentVariable, "12345");
        JobId.Reset();
        var first = JobId.Get();

        Environment.SetEnvironmentVariable(JobId.EnvironmentVariable, "other");
        Assert.Equal(first, JobId.Get());
        Assert.Equal("5994471abb01112afcc18159f6cc74b4f511b99806da59b3caf5a9c173cacfc5", first);

        JobId.Reset();
        Assert.Equal(JobId.Compute("other"), JobId.Get());
    }

    [Fact]
    public void Without_NUPLAN_JOB_ID_a_random_id_is_memoised()
    {
        Environment.SetEnvironmentVariable(JobId.EnvironmentVariable, null);
        JobId.Reset();
        var first = JobId.Get();

        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.Equal(first, JobId.Get());
        JobId.Reset();
        Assert.NotEqual(first, JobId.Get());
    }

    [Fact]
    public void Several_nodes_without_a_shared_job_id_fail_fast()
    {
        var error = Assert.Throws<ConfigurationException>(() => JobId.EnsureShared(3, _ => null));
        Assert.Contains(JobId.EnvironmentVariable, error.Message);

        JobId.EnsureShared(1, _ => null);
        Assert.Equal(JobId.Compute("abc"), JobId.GetShared(3, name => name == JobId.EnvironmentVariable ? "abc" : null));
    }
}
