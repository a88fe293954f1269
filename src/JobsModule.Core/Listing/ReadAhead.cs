namespace JobsModule.Listing;

/// <summary>When a listing asks for its next page before the consumer needs it, and how small its first page is.</summary>
internal sealed record ReadAhead
{
    public static readonly ReadAhead Default = new();

    /// <summary>
    /// Whether the lister fetches the next page while its consumer works through this one. Off when
    /// the consumer is a buffer, which does the fetching ahead itself.
    /// </summary>
    public bool PrefetchNextPage { get; init; } = true;

    /// <summary>
    /// The next page is fetched once the current one has arrived whole and the consumer has taken this
    /// many of its jobs (or half of a smaller page): early enough that the next page is ready when this
    /// one ends, late enough that Select-Object -First n with a small n never costs a second request.
    /// </summary>
    public int PrefetchAfterJobs { get; init; } = 16;

    /// <summary>
    /// A consumer that has spent this long on a page's jobs (the time between handing a job on and being
    /// asked for the next, not the page's time on the wire) gets the next page fetched in the background.
    /// </summary>
    public TimeSpan PrefetchAfter { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// The first page of a listing that has no limit and no -PageSize: small, so that the first job comes
    /// about as fast as one small request; the next pages are the provider's maximum. Twice
    /// <see cref="PrefetchAfterJobs"/>, so that Select-Object -First 16 still costs one request. Null
    /// turns it off. It costs at most one request more per full listing.
    /// </summary>
    public int? FirstPageSize { get; init; } = 32;
}
