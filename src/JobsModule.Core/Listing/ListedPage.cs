namespace JobsModule.Listing;

/// <summary>
/// The page a job was listed on, as far as taking jobs out of a listing goes: which listing it belongs
/// to, and how many of its jobs a stop or delete has taken out since. Every job a listing writes refers
/// to one (<see cref="ProviderJob.ListedOn"/>), so it is kept small: a job kept in a variable keeps
/// this alive, never a page's jobs or ids.
/// </summary>
internal sealed class ListedPage
{
    private int _removed;

    public ListedPage(ListingRemovals listing)
    {
        Listing = listing;
    }

    public ListingRemovals Listing { get; }

    /// <summary>Jobs of this page taken out of the listing's list since it was read.</summary>
    public int Removed => Volatile.Read(ref _removed);

    internal void CountRemoval() => Interlocked.Increment(ref _removed);
}
