using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;

namespace JobsModule;

/// <summary>
/// Progress bars for a listing: a parent bar for the call and a child bar per provider. Nothing is
/// shown for a listing that ends within a moment, and updates are throttled so they cost nothing
/// measurable. Called only on the pipeline thread.
/// </summary>
internal sealed class ListingProgress
{
    private const int ParentId = 1;
    private static readonly long ShowAfterTicks = Stopwatch.Frequency / 2;
    private static readonly long UpdateEveryTicks = Stopwatch.Frequency / 4;

    private readonly Cmdlet _cmdlet;
    private readonly int _providerCount;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lastUpdate;
    private bool _shown;
    private int _providerIndex;
    private int _childId;
    private string _provider = string.Empty;

    public ListingProgress(Cmdlet cmdlet, int providerCount)
    {
        _cmdlet = cmdlet;
        _providerCount = providerCount;
    }

    public void StartProvider(string provider)
    {
        CompleteChild();
        _provider = provider;
        _providerIndex++;
        _childId = ParentId + _providerIndex;
    }

    /// <summary>Cheap enough to call per job: it looks at the clock and returns.</summary>
    public void Tick(ListingResult result)
    {
        var now = Stopwatch.GetTimestamp();
        if (now - _started < ShowAfterTicks || now - _lastUpdate < UpdateEveryTicks)
        {
            return;
        }

        _lastUpdate = now;
        _shown = true;
        var parent = new ProgressRecord(ParentId, "Get-ProviderJob", $"Provider {_providerIndex} of {_providerCount}: {_provider}");
        if (_providerCount > 1)
        {
            parent.PercentComplete = (int)(100.0 * (_providerIndex - 1) / _providerCount);
        }

        _cmdlet.WriteProgress(parent);

        var status = string.Format(CultureInfo.InvariantCulture, "{0:N0} jobs, {1} pages", result.Jobs, result.Pages);
        if (result.Total is { } total)
        {
            status += string.Format(CultureInfo.InvariantCulture, " of {0:N0} jobs", total);
        }

        if (result.Waiting is { } waiting)
        {
            status += "; " + waiting;
        }

        var child = new ProgressRecord(_childId, "Listing " + _provider + " jobs", status) { ParentActivityId = ParentId };
        if (result.Total is { } known && known > 0)
        {
            child.PercentComplete = (int)System.Math.Min(100, 100 * result.Jobs / known);
        }

        _cmdlet.WriteProgress(child);
    }

    /// <summary>Removes the bars; safe to call when none was shown.</summary>
    public void Complete()
    {
        CompleteChild();
        if (_shown)
        {
            _cmdlet.WriteProgress(new ProgressRecord(ParentId, "Get-ProviderJob", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private void CompleteChild()
    {
        if (_shown && _childId != 0)
        {
            _cmdlet.WriteProgress(new ProgressRecord(_childId, "Listing " + _provider + " jobs", "Done") { ParentActivityId = ParentId, RecordType = ProgressRecordType.Completed });
        }
    }
}
