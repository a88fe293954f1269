using System.Diagnostics;
using JobsModule.Engine;

namespace JobsModule.Operations;

/// <summary>The time a wait is scheduled by: this one is real; tests put in one that moves only when slept on.</summary>
internal class WaitClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    public virtual TimeSpan Elapsed => _watch.Elapsed;

    /// <summary>Waits <paramref name="duration"/>, running <paramref name="heartbeat"/> meanwhile; throws once <paramref name="token"/> is cancelled.</summary>
    public virtual void Sleep(TimeSpan duration, Action? heartbeat, CancellationToken token)
    {
        // Cancelled, the delay ends early and the token says so; it is not awaited, so nothing else is thrown.
        var delay = Task.Delay(duration, token);
        WaitPump.Until(wait => ((IAsyncResult)delay).AsyncWaitHandle.WaitOne(wait), heartbeat);
        token.ThrowIfCancellationRequested();
    }
}
