namespace NuPlanBus.Common.Tests.Helpers;

/// <summary>
/// A fake clock for tests. Time only moves through <see cref="Advance"/>, or, with <see cref="AutoAdvance"/>, by
/// exactly the due time of each timer as soon as it is created (so a delay "takes" its nominal time instantly).
/// Every requested timer due time is recorded in <see cref="Delays"/>.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<TimeSpan> _delays = [];
    private long _ticks;

    public ManualTimeProvider(bool autoAdvance = false)
    {
        AutoAdvance = autoAdvance;
    }

    public bool AutoAdvance { get; }

    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (_gate)
            {
                return _delays.ToArray();
            }
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero) + Elapsed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                _delays.Add(dueTime);
            }
        }
        if (AutoAdvance && dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Add(ref _ticks, dueTime.Ticks);
            // Fire off the caller's stack: Task.Delay must finish constructing before its timer completes it.
            ThreadPool.QueueUserWorkItem(_ => timer.Fire());
            return timer;
        }
        timer.Change(dueTime, period);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        Interlocked.Add(ref _ticks, by.Ticks);
        List<ManualTimer> due;
        lock (_gate)
        {
            due = _timers.Where(t => t.DueAt <= _ticks).ToList();
            foreach (var timer in due)
            {
                _timers.Remove(timer);
            }
        }
        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private int _fired;

        public long DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = owner.GetTimestamp() + dueTime.Ticks;
                    owner._timers.Add(this);
                }
            }
            return true;
        }

        public void Fire()
        {
            if (Interlocked.Exchange(ref _fired, 1) == 0)
            {
                callback(state);
            }
        }

        public void Dispose()
        {
            Interlocked.Exchange(ref _fired, 1);
            Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
