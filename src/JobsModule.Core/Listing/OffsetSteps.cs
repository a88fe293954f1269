namespace JobsModule.Listing;

/// <summary>
/// Where each page of an offset-paged listing starts (Convertly's offset, pyannoteAI's /v1/jobs skip)
/// while its list changes under it. An offset counts places in the list as it is when the page is
/// served, so every job that leaves the list before a page is served (stopped, deleted, or no longer
/// matching a status filter) moves the jobs after it up one place: asked for at the offset after the
/// last page, the next page would start one job late and skip one. So:
/// <list type="bullet">
/// <item>The jobs this listing wrote that a stop or delete has since taken out are counted exactly
/// (<see cref="ListingRemovals"/>), and the next page steps back over them.</item>
/// <item>A drop in the provider's total that those do not explain (other clients, or jobs that moved on
/// by themselves) may have been anywhere before the page. Such a page is trusted only if it starts at
/// the head of the list or holds an anchor: a job already read on the page before it. If not, the next
/// page goes back over the places that may have been skipped, plus the last drop again, plus one job of
/// the page before them, and must hold that anchor. From the first such drop on, every page reaches
/// back over as many places as the last drop, plus one, so that it carries an anchor.</item>
/// <item>Where the jobs already read do not reach back that far, or the one page that went back does
/// not hold its anchor, the places that may have been skipped are counted in
/// <see cref="TakeMissing"/> for a warning, and the listing goes on.</item>
/// </list>
/// It never goes back further than the survivors of the page it reaches into, so that every job read
/// again is one the pager still remembers (it keeps the ids of the last few pages: see
/// <see cref="WindowPages"/>) and drops as a repeat.
/// </summary>
internal sealed class OffsetSteps
{
    /// <summary>The most pages back whose ids a page may repeat, once pages reach back.</summary>
    public const int MaxWindowPages = 3;

    private readonly int _maxReach;
    private Page? _last;
    private Page? _gapAnchor;
    private long _gap;
    private long _lastDrop;
    private bool _reaching;
    private bool _more;
    private long _rereadUntil;
    private long _missing;

    /// <param name="pageSize">The largest page asked for: a page reaches back over at most half of it, so that it still brings new jobs.</param>
    public OffsetSteps(int pageSize)
    {
        _maxReach = Math.Max(1, pageSize / 2);
    }

    /// <summary>How many pages before the current one its repeats may come from: one, until pages reach back.</summary>
    public int WindowPages => _reaching ? MaxWindowPages : 1;

    /// <summary>True once pages reach back (a drop in the total was not explained): read them one at a time, not ahead.</summary>
    public bool Reaching => _reaching;

    /// <summary>The places given up on since the last call: jobs that may have been skipped, for a warning.</summary>
    public long TakeMissing()
    {
        var missing = _missing;
        _missing = 0;
        return missing;
    }

    /// <summary>
    /// The next page's start, with <paramref name="removed"/> the listing's removals now (see
    /// <see cref="ListingRemovals.Removed"/>); null when the listing is complete.
    /// </summary>
    public Step? Next(long removed)
    {
        var last = _last ?? throw new InvalidOperationException("The first page is read before the next is planned.");

        // Every removal since the last page was served is of a job listed before that page's end.
        var since = Math.Max(0, removed - last.RemovedAtSend);
        if (_gapAnchor is { } anchor)
        {
            // The places before the last page moved up only by the removals of jobs listed before it.
            var start = Math.Max(0, last.Offset - Math.Max(0, since - last.Listed.Removed));

            // Only the anchor page's survivors may be read again, unless it is the head of the list: then
            // nothing but its survivors (and new jobs) lies before the gap.
            var back = Math.Min(_gap + _lastDrop + 1, anchor.Offset == 0 ? start : Math.Min(anchor.Survivors, start));

            // Going back over the gap alone can still be proven by a total that holds; one more place lets an anchor prove it too.
            if (back >= _gap || back == start)
            {
                // The pages after this one bring the last page's jobs again until they are past its end.
                _rereadUntil = last.Offset + last.Items;
                return new Step(start - back, back, anchor.Number, true, removed);
            }

            // The jobs read before the gap are too few to be sure of an anchor (they were taken out): say so.
            _missing += _gap;
            _gap = 0;
            _gapAnchor = null;
        }

        if (!_more)
        {
            return null;
        }

        var target = Math.Max(0, last.Offset + last.Items - since);
        var reach = _reaching ? Math.Min(Math.Min(_lastDrop + 1, last.Survivors), Math.Min(target, _maxReach)) : 0;
        return new Step(target - reach, reach, reach > 0 ? last.Number : 0, false, removed) { Rereads = target - reach < _rereadUntil };
    }

    /// <summary>
    /// A page has been read: <paramref name="step"/> is what it was asked with (null for the first page),
    /// <paramref name="offset"/> where it started, <paramref name="items"/> its places (jobs and unreadable
    /// items), <paramref name="total"/> the provider's total, <paramref name="more"/> whether it says
    /// more follow, and <paramref name="anchorSeen"/> whether it held a job of the step's anchor page.
    /// </summary>
    public void Read(Step? step, int number, long offset, int items, long? total, bool more, bool anchorSeen, ListedPage listed)
    {
        var removedAtSend = step?.RemovedAtSend ?? 0;
        var previous = _last;

        // What the total lost beyond the jobs this listing took out in between: someone else's removals.
        long drop = 0;
        if (previous?.Total is { } before && total is { } now)
        {
            drop = Math.Max(0, before - now - (removedAtSend - previous.RemovedAtSend));
        }

        var proven = offset == 0 || drop == 0 || (step is { Anchor: > 0 } && anchorSeen);
        if (step is { Recovers: true })
        {
            if (!proven)
            {
                _missing += _gap;
            }

            _gap = 0;
            _gapAnchor = null;
        }
        else if (!proven && previous is not null)
        {
            _gap = Math.Min(drop, offset);
            _gapAnchor = previous;
        }

        // Someone else's removals may have been of these pages' jobs: count them out of what survives.
        previous?.Dropped(drop);
        if (_gapAnchor is { } anchor && anchor != previous)
        {
            anchor.Dropped(drop);
        }

        _reaching |= drop > 0;
        _lastDrop = drop;
        _more = more;
        _last = new Page(number, offset, items, total, removedAtSend, listed);
    }

    /// <summary>
    /// Where a page starts: its offset, how many places before the first job not yet read it goes back
    /// over on purpose (<paramref name="Reach"/>), the page whose jobs prove it (<paramref name="Anchor"/>,
    /// 0 for none), whether it goes back for places the page before may have skipped
    /// (<paramref name="Recovers"/>), and the listing's removals when it was planned.
    /// </summary>
    public sealed record Step(long Offset, long Reach, int Anchor, bool Recovers, long RemovedAtSend)
    {
        /// <summary>True when the page may bring only jobs already listed: it goes back, or starts before the end of the page another went back for.</summary>
        public bool Rereads { get; init; } = Recovers;
    }

    /// <summary>What a read page leaves for the next: its places and what the listing had taken out when it was asked for.</summary>
    private sealed record Page(int Number, long Offset, int Items, long? Total, long RemovedAtSend, ListedPage Listed)
    {
        private long _droppedSince;

        /// <summary>
        /// Its places still in the list, at the least: its items, less the jobs this listing took out since,
        /// less every drop in the total since (someone else's removals may have been of its jobs).
        /// </summary>
        public long Survivors => Math.Max(0, Items - Listed.Removed - _droppedSince);

        public void Dropped(long drop) => _droppedSince += drop;
    }
}
