using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using JobsModule.Listing;

namespace JobsModule;

/// <summary>
/// Progress bars for a listing: a parent bar for the call and a child bar per account. Nothing is
/// shown for a listing that ends within a moment, and updates are throttled so they cost nothing
/// measurable. Called only on the pipeline thread.
/// </summary>
internal sealed class ListingProgress
{
    private const int ParentId = 1;
    private const int ShowAfterMs = 500;
    private const int UpdateEveryMs = 250;

    private readonly Cmdlet _cmdlet;
    private readonly string _activity;
    private readonly IReadOnlyList<ListingSource> _sources;
    // Environment.TickCount, not Stopwatch: it is read for every job, and the coarse clock costs next to
    // nothing where a precise one may be a system call (virtual machines); milliseconds are plenty here.
    private readonly int _started = Environment.TickCount;
    private int _lastUpdate;
    private bool _shown;

    public ListingProgress(Cmdlet cmdlet, string activity, IReadOnlyList<ListingSource> sources)
    {
        _cmdlet = cmdlet;
        _activity = activity;
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

        var parent = new ProgressRecord(ParentId, _activity, string.Format(CultureInfo.InvariantCulture, "{0:N0} jobs from {1} account(s)", jobs, _sources.Count));
        _cmdlet.WriteProgress(parent);
        for (var i = 0; i < _sources.Count; i++)
        {
            _cmdlet.WriteProgress(ChildRecord(i));
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
            var child = ChildRecord(i);
            child.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(child);
        }

        _cmdlet.WriteProgress(new ProgressRecord(ParentId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
    }

    private ProgressRecord ChildRecord(int index)
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

        var record = new ProgressRecord(ParentId + 1 + index, "Listing " + DisplayText.Inert(source.Label) + " jobs", status) { ParentActivityId = ParentId };
        if (result.Total is { } known && known > 0)
        {
            record.PercentComplete = (int)System.Math.Min(100, 100 * result.Jobs / known);
        }

        return record;
    }
}
