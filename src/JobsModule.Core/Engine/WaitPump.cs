using System.Collections.Concurrent;

namespace JobsModule.Engine;

/// <summary>
/// Blocks the caller's thread until something is ready, running a heartbeat about five times a second
/// meanwhile. PowerShell lets only the pipeline thread write, so whatever waits there (a page, a merged
/// listing, a request, a poll) pumps its log lines and progress through this one loop.
/// </summary>
internal static class WaitPump
{
    /// <summary>How long one wait lasts before the heartbeat runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Calls <paramref name="ready"/> with the milliseconds it may block (infinite without a heartbeat)
    /// until it returns true, running <paramref name="heartbeat"/> after each try that was not.
    /// </summary>
    public static void Until(Func<int, bool> ready, Action? heartbeat)
    {
        var wait = heartbeat is null ? Timeout.Infinite : (int)Interval.TotalMilliseconds;
        while (!ready(wait))
        {
            heartbeat?.Invoke();
        }
    }

    /// <summary>The next item of <paramref name="items"/>, or null once it is complete and empty.</summary>
    public static T? Take<T>(BlockingCollection<T> items, Action? heartbeat, CancellationToken token)
        where T : class
    {
        T? item = null;
        Until(wait => items.TryTake(out item, wait, token) || items.IsCompleted, heartbeat);
        return item;
    }

    /// <summary>
    /// The result of <paramref name="task"/> (or its exception), once it has ended. The heartbeat runs
    /// once more at the end, so that what the request logged is handed on before its result is used.
    /// </summary>
    public static T Await<T>(Task<T> task, Action? heartbeat)
    {
        try
        {
            Until(wait => ((IAsyncResult)task).AsyncWaitHandle.WaitOne(wait), heartbeat);
            return task.GetAwaiter().GetResult();
        }
        finally
        {
            heartbeat?.Invoke();
        }
    }

    /// <summary>Waits for <paramref name="task"/> as <see cref="Await{T}"/> does, for a task without a result.</summary>
    public static void Await(Task task, Action? heartbeat)
    {
        try
        {
            Until(wait => ((IAsyncResult)task).AsyncWaitHandle.WaitOne(wait), heartbeat);
            task.GetAwaiter().GetResult();
        }
        finally
        {
            heartbeat?.Invoke();
        }
    }
}
