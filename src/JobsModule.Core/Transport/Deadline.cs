using JobsModule.Operations;

namespace JobsModule.Transport;

/// <summary>
/// The end of a wait (Wait-ProviderJob's -Timeout), which every request made for the wait keeps to:
/// <see cref="ProviderClient"/> cuts each attempt's timeout to the time left and waits for no retry,
/// Retry-After or rate budget that would end after it. A request begun once the deadline has passed
/// (every read of a -Timeout of 0, a first read the provider's rate held back) gets one attempt
/// within -TimeoutSec and no retry, so that "read each job once" still reads it.
/// </summary>
internal sealed class Deadline
{
    private readonly WaitClock _clock;
    private readonly TimeSpan _end;

    /// <summary>A deadline <paramref name="duration"/> from now, by <paramref name="clock"/>.</summary>
    public Deadline(WaitClock clock, TimeSpan duration)
    {
        _clock = clock;
        Duration = duration;
        _end = clock.Elapsed + duration;
    }

    /// <summary>The whole time the wait was given, for messages.</summary>
    public TimeSpan Duration { get; }

    /// <summary>What is left of the time; zero once the deadline has come.</summary>
    public TimeSpan Left
    {
        get
        {
            var left = _end - _clock.Elapsed;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public bool HasPassed => Left == TimeSpan.Zero;

    /// <summary>Whether a wait of <paramref name="delay"/> before the next attempt ends while there is still time for that attempt.</summary>
    public bool Allows(TimeSpan delay) => delay < Left;
}
