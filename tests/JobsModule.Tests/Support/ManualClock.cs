namespace JobsModule.Tests.Support;

/// <summary>A wait's clock that moves only when the wait sleeps, so schedules are exact and tests take no time.</summary>
internal sealed class ManualClock : WaitClock
{
    private TimeSpan _now;

    /// <summary>A clock that reads <paramref name="start"/> before anything has slept on it.</summary>
    public ManualClock(TimeSpan start = default) => _now = start;

    public override TimeSpan Elapsed => _now;

    public List<TimeSpan> Naps { get; } = new();

    public override void Sleep(TimeSpan duration, Action? heartbeat, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        if (_now > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException("The wait slept through an hour of clock time: it would never end.");
        }

        Naps.Add(duration);
        _now += duration;
        heartbeat?.Invoke();
    }
}
