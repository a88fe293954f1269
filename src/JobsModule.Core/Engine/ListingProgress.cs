using System.Globalization;
using JobsModule.Listing;

namespace JobsModule.Engine;

/// <summary>
/// Progress bars for a listing: a parent bar for the call and a child bar per account. Nothing is
/// shown for a listing that ends within a moment, and updates are throttled so they cost nothing
/// measurable. Called only on the caller's thread.
/// </summary>
internal sealed class ListingProgress
{
    private const int ParentId = 1;
    private const int ShowAfterMs = 500;
    private const int UpdateEveryMs = 250;

    private readonly IJobEvents _events;
    private readonly IReadOnlyList<ListingSource> _sources;
    // Environment.TickCount, not Stopwatch: it is read for every job, and the coarse clock costs next to
    // nothing where a precise one may be a system call (virtual machines); milliseconds are plenty here.
    private readonly int _started = Environment.TickCount;
    private int _lastUpdate;
    private bool _shown;

    public ListingProgress(IJobEvents events, IReadOnlyList<ListingSource> sources)
    {
        _events = events;
        _sources = sources;
    }

    /// <summary>Cheap enough to call per job: it looks at the clock and returns.</summary>
    public void Tick()
    {
        var now = Environment.TickCount;
        if (_shown ? unchecked(now - _lastUpdate) < UpdateEveryMs : unchecked(now - _started) < ShowAfterMs)
        {
            return;
        }

        _lastUpdate = now;
        _shown = true;
        long jobs = 0;
        foreach (var source in _sources)
        {
            jobs += source.Result.Jobs;
        }

        _events.Progress(ParentId, null, null, string.Format(CultureInfo.InvariantCulture, "{0:N0} jobs from {1} account(s)", jobs, _sources.Count), -1, completed: false);
        for (var i = 0; i < _sources.Count; i++)
        {
            Child(i, completed: false);
        }
    }

    /// <summary>Removes the bars; safe to call when none was shown.</summary>
    public void Complete()
    {
        if (!_shown)
        {
            return;
        }

        for (var i = 0; i < _sources.Count; i++)
        {
            Child(i, completed: true);
        }

        _events.Progress(ParentId, null, null, "Done", 100, completed: true);
    }

    private void Child(int index, bool completed)
    {
        var source = _sources[index];
        var result = source.Result;
        var status = string.Format(CultureInfo.InvariantCulture, "{0:N0} jobs, {1} pages", result.Jobs, result.Pages);
        if (result.Total is { } total)
        {
            status += string.Format(CultureInfo.InvariantCulture, " of {0:N0} jobs", total);
        }

        if (result.Waiting is { } waiting)
        {
            status += "; " + waiting;
        }

        var percent = result.Total is { } known && known > 0 ? (int)Math.Min(100, 100 * result.Jobs / known) : -1;
        _events.Progress(ParentId + 1 + index, ParentId, "Listing " + source.Label + " jobs", status, percent, completed);
    }
}
