using NuPlanBus.Common.Helpers;

namespace NuPlanBus.Common.Tests.Helpers;

public class RetryTests
{
    private static readonly Type[] IoErrors = [typeof(IOException)];

    [Fact]
    public void TryNTimes_returns_the_first_success_as_is()
    {
        var calls = 0;
        var result = Retry.TryNTimes(() => ++calls < 3 ? throw new IOException("flaky") : "done", IoErrors, maxTries: 5, TimeSpan.FromSeconds(1), new ManualTimeProvider(autoAdvance: true));

        Assert.Equal("done", result);
        Assert.Equal(3, calls);
    }

    [Fact]
    public void TryNTimes_does_not_sleep_after_the_final_failure_and_rethrows_the_last_error()
    {
        // The devkit example: always failing, max_tries=2, sleep 4.2 s → 2 calls. The devkit slept twice; we sleep once.
        var clock = new ManualTimeProvider(autoAdvance: true);
        var calls = 0;

        var error = Assert.Throws<IOException>(() => Retry.TryNTimes<int>(() => throw new IOException($"failure {++calls}"), IoErrors, maxTries: 2, TimeSpan.FromSeconds(4.2), clock));

        Assert.Equal(2, calls);
        Assert.Equal("failure 2", error.Message);
        Assert.Equal([TimeSpan.FromSeconds(4.2)], clock.Delays);
        Assert.Equal(TimeSpan.FromSeconds(4.2), clock.Elapsed);
    }

    [Fact]
    public void TryNTimes_lets_unlisted_errors_through_at_once()
    {
        var clock = new ManualTimeProvider(autoAdvance: true);
        var calls = 0;

        Assert.Throws<InvalidOperationException>(() => Retry.TryNTimes<int>(() => { calls++; throw new InvalidOperationException(); }, IoErrors, 5, TimeSpan.FromSeconds(1), clock));

        Assert.Equal(1, calls);
        Assert.Empty(clock.Delays);
    }

    [Fact]
    public void TryNTimes_retries_subclasses_of_listed_types()
    {
        var calls = 0;
        var result = Retry.TryNTimes(() => ++calls == 1 ? throw new FileNotFoundException() : calls, IoErrors, 2);
        Assert.Equal(2, result);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TryNTimes_requires_at_least_one_try(int maxTries)
    {
        Assert.Throws<ArgumentException>(() => Retry.TryNTimes(() => 1, IoErrors, maxTries));
    }

    [Fact]
    public void TryNTimes_with_one_try_calls_once()
    {
        var calls = 0;
        Assert.Throws<IOException>(() => Retry.TryNTimes<int>(() => { calls++; throw new IOException(); }, IoErrors, 1, TimeSpan.FromSeconds(1)));
        Assert.Equal(1, calls);
    }

    [Fact]
    public void Non_exception_types_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Retry.TryNTimes(() => 1, [typeof(string)], 2));
    }

    [Fact]
    public async Task TryNTimesAsync_retries_listed_errors_with_pauses_between_attempts_only()
    {
        var clock = new ManualTimeProvider(autoAdvance: true);
        var calls = 0;

        await Assert.ThrowsAsync<IOException>(() => Retry.TryNTimesAsync<int>(async _ =>
        {
            await Task.Yield();
            calls++;
            throw new IOException();
        }, IoErrors, maxTries: 4, TimeSpan.FromMilliseconds(250), clock));

        Assert.Equal(4, calls);
        Assert.Equal(3, clock.Delays.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(750), clock.Elapsed);
    }

    [Fact]
    public async Task TryNTimesAsync_returns_a_late_success()
    {
        var calls = 0;
        var result = await Retry.TryNTimesAsync(
            _ => ++calls < 2 ? Task.FromException<string>(new IOException()) : Task.FromResult("ok"),
            IoErrors, 3, TimeSpan.FromSeconds(10), new ManualTimeProvider(autoAdvance: true));
        Assert.Equal("ok", result);
    }

    [Fact]
    public void KeepTrying_returns_the_result_and_the_monotonic_elapsed_time()
    {
        var clock = new ManualTimeProvider(autoAdvance: true);
        var calls = 0;

        var (result, elapsed) = Retry.KeepTrying(() => ++calls < 4 ? throw new IOException() : "ok", IoErrors, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(0.5), clock);

        Assert.Equal("ok", result);
        Assert.Equal(4, calls);
        Assert.Equal(TimeSpan.FromSeconds(1.5), elapsed);
    }

    [Fact]
    public void KeepTrying_gives_up_at_the_deadline_with_a_timeout_naming_the_operation_and_error_types()
    {
        var clock = new ManualTimeProvider(autoAdvance: true);
        var calls = 0;

        var error = Assert.Throws<TimeoutException>(() =>
            Retry.KeepTrying<int>(() => { calls++; throw new IOException("disk"); }, IoErrors, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.1), clock, operationName: "ReadMarker"));

        // Attempts at 0.0, 0.1, …, 0.9 s, as in the devkit; no sleep that would end past the deadline.
        Assert.Equal(10, calls);
        Assert.Equal(TimeSpan.FromSeconds(0.9), clock.Elapsed);
        Assert.Contains("ReadMarker", error.Message);
        Assert.Contains("IOException", error.Message);
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public void KeepTrying_calls_at_least_once_even_when_the_sleep_exceeds_the_timeout()
    {
        var clock = new ManualTimeProvider(autoAdvance: true);
        var calls = 0;

        Assert.Throws<TimeoutException>(() => Retry.KeepTrying<int>(() => { calls++; throw new IOException(); }, IoErrors, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1), clock));

        Assert.Equal(1, calls);
    }

    [Fact]
    public void KeepTrying_lets_unlisted_errors_through_unwrapped()
    {
        Assert.Throws<InvalidOperationException>(() => Retry.KeepTrying<int>(() => throw new InvalidOperationException(), IoErrors, TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void KeepTrying_requires_a_positive_timeout(double seconds)
    {
        Assert.Throws<ArgumentException>(() => Retry.KeepTrying(() => 1, IoErrors, TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public async Task KeepTryingAsync_retries_until_success()
    {
        var clock = new ManualTimeProvider(autoAdvance: true);
        var calls = 0;

        var (result, elapsed) = await Retry.KeepTryingAsync(
            _ => ++calls < 3 ? Task.FromException<int>(new IOException()) : Task.FromResult(42),
            IoErrors, TimeSpan.FromSeconds(10), timeProvider: clock);

        Assert.Equal(42, result);
        Assert.Equal(TimeSpan.FromSeconds(0.2), elapsed);
    }

    [Fact]
    public async Task KeepTryingAsync_times_out()
    {
        var clock = new ManualTimeProvider(autoAdvance: true);
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Retry.KeepTryingAsync<int>(
            _ => Task.FromException<int>(new TimeoutException("inner")), [typeof(TimeoutException)], TimeSpan.FromSeconds(0.35), timeProvider: clock));
        Assert.Equal("inner", error.InnerException?.Message);
    }
}
