using System.Collections.Concurrent;
using JobsModule.Engine;

namespace JobsModule.Listing;

/// <summary>
/// One list page on its way: its jobs are handed to the consumer as they are read off the wire, and
/// once the page has arrived whole, where it leads. Jobs cross from the reading thread in batches, one
/// per piece of the body read from the network (a job as soon as the bytes that hold it are in, without
/// waking the consumer's thread once per job); the first job of a listing goes on alone, at once. A
/// page that is sent again (a retry after the connection broke) hands its jobs again; the pager drops
/// the repeats by id.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "The queue's handles are never made (no WaitHandle is asked for), and a page left behind by an early stop may still be adding to it.")]
internal sealed class PageDownload
{
    // About the jobs one network read holds (16 KB of the usual job sizes), so a batch rarely grows.
    private const int BatchCapacity = 128;

    private readonly BlockingCollection<List<ProviderJob>> _batches = new();
    private readonly HashSet<int> _reportedProblems = new();
    private Task<PageRead>? _completion;
    private List<ProviderJob>? _pending;
    private long _removalsBegunAtAnswer = -1;

    public PageDownload(string name, int number, ListedPage listed)
    {
        Name = name;
        Number = number;
        Listed = listed;
    }

    /// <summary>What the jobs of this page refer to, so that a stop or delete of one tells its listing.</summary>
    public ListedPage Listed { get; }

    /// <summary>For an offset page after the first: where it starts and why (see <see cref="OffsetSteps"/>).</summary>
    public OffsetSteps.Step? Step { get; init; }

    /// <summary>The listing's removals begun and ended when this page was asked for.</summary>
    public (long Begun, long Ended) RemovalsAtSend { get; init; }

    /// <summary>
    /// True when no removal of the listing's jobs could have reached the server between this page's
    /// request and its answer: none was in flight when it was sent, and none began until it was answered.
    /// Otherwise the page may have been served after jobs before it moved up, and may have skipped some.
    /// </summary>
    public bool ServedAsPlanned =>
        RemovalsAtSend.Begun == RemovalsAtSend.Ended && Interlocked.Read(ref _removalsBegunAtAnswer) == RemovalsAtSend.Begun;

    /// <summary>The provider's name, for what is said about the page.</summary>
    public string Name { get; }

    /// <summary>The page's place in its listing, from 1.</summary>
    public int Number { get; }

    /// <summary>The last job handed on so far (the page's last, once it has arrived).</summary>
    public ProviderJob? LastJob { get; private set; }

    /// <summary>True once the page has arrived whole and been read (not when it failed).</summary>
    public bool HasArrivedWhole => _completion is { Status: TaskStatus.RanToCompletion };

    /// <summary>Starts reading the page: <paramref name="read"/> hands each job to <see cref="Add"/> and returns where the page leads.</summary>
    public PageDownload Start(Func<PageDownload, Task<PageRead>> read)
    {
        _completion = RunAsync(read);
        return this;
    }

    /// <summary>Where the page leads; throws the page's failure (after its jobs were handed on).</summary>
    public PageRead End() => _completion!.GetAwaiter().GetResult();

    /// <summary>The page read to its end, for a caller that wants only where it leads (its total), not its jobs.</summary>
    public Task<PageRead> Completion => _completion!;

    /// <summary>The jobs as they arrive, on the caller's thread; <paramref name="heartbeat"/> runs about five times a second while it waits.</summary>
    public IEnumerable<ProviderJob> Jobs(Action? heartbeat, CancellationToken token)
    {
        while (WaitPump.Take(_batches, heartbeat, token) is { } batch)
        {
            foreach (var job in batch)
            {
                yield return job;
            }
        }
    }

    /// <summary>The answer has come (before its jobs are read): notes the removals begun by then.</summary>
    internal void Answered() => Interlocked.Exchange(ref _removalsBegunAtAnswer, Listed.Listing.Started);

    /// <summary>Adds a job to the batch being filled; <see cref="HandOn"/> passes the batch to the consumer.</summary>
    internal void Add(ProviderJob job)
    {
        var firstOfListing = LastJob is null && Number == 1;
        LastJob = job;
        (_pending ??= new List<ProviderJob>(BatchCapacity)).Add(job);
        if (firstOfListing)
        {
            // The listing's first job goes on alone, before the rest of its read is parsed: that is
            // all Select-Object -First 1 waits for.
            HandOn();
        }
    }

    /// <summary>Passes the jobs added since the last call to the consumer (called once the bytes read so far are used up).</summary>
    internal void HandOn()
    {
        if (_pending is { } batch)
        {
            _pending = null;
            _batches.Add(batch);
        }
    }

    /// <summary>True the first time an unreadable item at <paramref name="position"/> is met (a page read again meets it again).</summary>
    internal bool FirstProblemAt(int position)
    {
        lock (_reportedProblems)
        {
            return _reportedProblems.Add(position);
        }
    }

    /// <summary>A download that was left unfinished (Select-Object -First, an error elsewhere): its failure is not an unobserved one.</summary>
    public void Abandon() => _completion?.ContinueWith(task => _ = task.Exception, TaskScheduler.Default);

    private async Task<PageRead> RunAsync(Func<PageDownload, Task<PageRead>> read)
    {
        try
        {
            return await read(this).ConfigureAwait(false);
        }
        finally
        {
            HandOn();
            _batches.CompleteAdding();
        }
    }
}
