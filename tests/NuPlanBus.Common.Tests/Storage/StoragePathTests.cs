using NuPlanBus.Common.Storage;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Tests.Storage;

public sealed class StoragePathTests
{
    [Theory]
    [InlineData("s3://scratch/a", "scratch", "a")]
    [InlineData("s3://3d-data/x", "3d-data", "x")]
    [InlineData("s3://ssbucket/x", "ssbucket", "x")]
    [InlineData("s3://s3s3/k", "s3s3", "k")]
    [InlineData("s3:/scratch/a", "scratch", "a")]
    [InlineData("s3:/3d-data/x/y.db", "3d-data", "x/y.db")]
    public void Buckets_starting_with_s_or_3_are_never_stripped(string uri, string bucket, string key)
    {
        var path = StoragePath.Parse(uri);

        Assert.True(path.IsS3);
        Assert.Equal(bucket, path.Bucket);
        Assert.Equal(key, path.Key);
        Assert.Equal($"s3://{bucket}/{key}", path.ToString());
    }

    [Theory]
    [InlineData("s3://test-bucket/a/b/c.txt")]
    [InlineData("s3://test-bucket")]
    [InlineData("s3://my.bucket-1/dir with space/file")]
    [InlineData("/tmp/x/y")]
    public void ToString_round_trips_through_Parse(string text)
    {
        var path = StoragePath.Parse(text);

        Assert.Equal(path, StoragePath.Parse(path.ToString()));
        Assert.Equal(text, path.ToString());
    }

    [Fact]
    public void Bucket_only_and_trailing_slash_give_an_empty_key()
    {
        Assert.Equal(string.Empty, StoragePath.Parse("s3://bucket").Key);
        Assert.Equal(string.Empty, StoragePath.Parse("s3://bucket/").Key);
        Assert.Equal("s3://bucket", StoragePath.Parse("s3://bucket/").ToString());
    }

    [Fact]
    public void Doubled_slashes_collapse_but_spaces_are_kept()
    {
        Assert.Equal("c", StoragePath.Parse("s3://b12//c").Key);
        Assert.Equal("dir/c", StoragePath.Parse("s3://b12/dir/c/").Key);
        Assert.Equal(" a /c", StoragePath.Parse("s3://b12/ a /c").Key);
    }

    [Theory]
    [InlineData("s3://")]
    [InlineData("s3:/")]
    [InlineData("s3:///key")]
    [InlineData("s3:bucket/key")]
    [InlineData("S3://bucket/key")]
    [InlineData("gs://bucket/key")]
    [InlineData("s3://Bucket/key")]
    [InlineData("s3://ab/key")]
    [InlineData("s3://under_score/key")]
    [InlineData("s3://-leading/key")]
    [InlineData("s3://trailing-/key")]
    [InlineData("s3://two..dots/key")]
    [InlineData("s3://192.168.5.4/key")]
    [InlineData("s3://xn--bucket/key")]
    [InlineData("s3://bucket-s3alias/key")]
    [InlineData("s3://bucket/a/../b")]
    [InlineData("s3://bucket/./b")]
    [InlineData("")]
    [InlineData("   ")]
    public void Malformed_input_is_rejected_as_user_input(string text)
    {
        Assert.ThrowsAny<UserInputException>(() => StoragePath.Parse(text));
        Assert.False(StoragePath.TryParse(text, out _));
    }

    [Fact]
    public void A_63_character_bucket_is_valid_and_64_is_not()
    {
        Assert.Null(StoragePath.ValidateBucketName(new string('a', 63)));
        Assert.NotNull(StoragePath.ValidateBucketName(new string('a', 64)));
        Assert.Null(StoragePath.ValidateBucketName("abc"));
        Assert.Null(StoragePath.ValidateBucketName("a.b-c.1"));
    }

    [Fact]
    public void Local_paths_are_made_absolute_and_have_no_bucket()
    {
        var path = StoragePath.Parse("relative/dir/");

        Assert.False(path.IsS3);
        Assert.Null(path.Bucket);
        Assert.Equal(Path.GetFullPath("relative/dir"), path.Value);
        Assert.Equal(path.Value, path.Key);
        Assert.Equal("dir", path.Name);
    }

    [Fact]
    public void Combine_and_the_slash_operator_append_segments()
    {
        var root = StoragePath.Parse("s3://scratch/runs");

        Assert.Equal("s3://scratch/runs/r1/log.msgpack", (root / "r1" / "log.msgpack").ToString());
        Assert.Equal("s3://scratch/runs/r1/a", root.Combine("r1//a/").ToString());
        Assert.Equal("s3://scratch/x", (StoragePath.Parse("s3://scratch") / "x").ToString());
        Assert.Equal(Path.Combine(Path.GetFullPath("/tmp/a"), "b", "c"), (StoragePath.Local("/tmp/a") / "b/c").Value);
    }

    [Fact]
    public void Combine_rejects_absolute_and_uri_arguments()
    {
        var root = StoragePath.Parse("s3://scratch/runs");

        Assert.Throws<UserInputException>(() => root / "/abs");
        Assert.Throws<UserInputException>(() => root / "s3://other/x");
        Assert.Throws<UserInputException>(() => StoragePath.Local("/tmp") / "/etc");
        Assert.Throws<UserInputException>(() => root / "../escape");
    }

    [Fact]
    public void Parent_and_Name_walk_up_to_the_bucket_root()
    {
        var path = StoragePath.Parse("s3://scratch/a/b.txt");

        Assert.Equal("b.txt", path.Name);
        Assert.Equal("s3://scratch/a", path.Parent!.Value.ToString());
        Assert.Equal("s3://scratch", path.Parent!.Value.Parent!.Value.ToString());
        Assert.Null(path.Parent!.Value.Parent!.Value.Parent);
        Assert.Equal(string.Empty, StoragePath.Parse("s3://scratch").Name);
        Assert.Equal("/tmp", StoragePath.Local("/tmp/x").Parent!.Value.Value);
        Assert.Null(StoragePath.Local("/").Parent);
    }

    [Fact]
    public void RelativeTo_and_IsWithin_respect_segment_boundaries()
    {
        var dir = StoragePath.Parse("s3://bucket/test_dir");

        Assert.True(StoragePath.Parse("s3://bucket/test_dir/a/b").IsWithin(dir));
        Assert.False(StoragePath.Parse("s3://bucket/test_dir2/a").IsWithin(dir));
        Assert.False(StoragePath.Parse("s3://other/test_dir/a").IsWithin(dir));
        Assert.Equal("a/b", StoragePath.Parse("s3://bucket/test_dir/a/b").RelativeTo(dir));
        Assert.Equal("x/y", StoragePath.Parse("s3://bucket/x/y").RelativeTo(StoragePath.Parse("s3://bucket")));
        Assert.Equal("b/c", StoragePath.Local("/tmp/a/b/c").RelativeTo(StoragePath.Local("/tmp/a")));
        Assert.False(StoragePath.Local("/tmp/ab").IsWithin(StoragePath.Local("/tmp/a")));
        Assert.Throws<ArgumentException>(() => StoragePath.Parse("s3://bucket/test_dir2/a").RelativeTo(dir));
    }

    [Fact]
    public void DirectoryPrefix_ends_with_a_slash_except_at_the_root()
    {
        Assert.Equal("test_dir/", StoragePath.Parse("s3://bucket/test_dir").DirectoryPrefix);
        Assert.Equal(string.Empty, StoragePath.Parse("s3://bucket").DirectoryPrefix);
    }

    [Fact]
    public void Equal_paths_are_equal_and_order_by_code_point()
    {
        Assert.Equal(StoragePath.Parse("s3://b12/k"), StoragePath.Parse("s3:/b12/k"));
        var sorted = new[] { "s3://b12/b", "s3://b12/a/z", "s3://b12/a-c", "s3://b12/\uFF21", "s3://b12/\U0001F600" }
            .Select(StoragePath.Parse).Order().Select(p => p.Key).ToArray();
        Assert.Equal(["a-c", "a/z", "b", "\uFF21", "\U0001F600"], sorted);
    }
}
