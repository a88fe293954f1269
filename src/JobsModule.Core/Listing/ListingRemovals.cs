namespace JobsModule.Listing;

/// <summary>
/// How many of one listing's jobs a stop or delete has since taken out of what the listing's server-side
/// filter matches: Convertly and Krea remove a job they stop, and a stopped job no longer matches a
/// status filter. An offset-paged listing steps its next page back by as many places, so that the jobs
/// that moved up are not skipped. Each job the listing writes refers to its page's
/// <see cref="ListedPage"/>, which counts here: one field per job and a few numbers per listing,
/// however long it is.
/// </summary>
internal sealed class ListingRemovals
{
    private long _started;
    private long _settled;
    private long _removed;

    public ListingRemovals(bool statusFilteredOnServer)
    {
        StatusFilteredOnServer = statusFilteredOnServer;
    }

    /// <summary>True when the listing sent a status filter, so that a stop that only changes a job's status takes it out of the list too.</summary>
    public bool StatusFilteredOnServer { get; }

    /// <summary>Requests begun that take one of the listing's jobs out of its list.</summary>
    public long Started => Interlocked.Read(ref _started);

    /// <summary>Of those, the ones that have ended, whatever their outcome.</summary>
    public long Settled => Interlocked.Read(ref _settled);

    /// <summary>Of those, the ones that took their job out (accepted, or sent and never answered).</summary>
    public long Removed => Interlocked.Read(ref _removed);

    /// <summary>A request that takes a job of this listing out of its list is about to be sent.</summary>
    internal void Begin() => Interlocked.Increment(ref _started);

    /// <summary>That request has ended; <paramref name="removed"/> when the job is out of the list now (or may be).</summary>
    internal void End(ListedPage page, bool removed)
    {
        if (removed)
        {
            page.CountRemoval();
            Interlocked.Increment(ref _removed);
        }

        Interlocked.Increment(ref _settled);
    }
}
