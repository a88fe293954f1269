namespace JobsModule.Listing;

/// <summary>A job from a merged listing, or the error that ended one account's part of it.</summary>
internal readonly struct ListingItem
{
    public ListingItem(ListingSource source, ProviderJob? job, ProviderRequestException? failure)
    {
        Source = source;
        Job = job;
        Failure = failure;
    }

    public ListingSource Source { get; }

    public ProviderJob? Job { get; }

    public ProviderRequestException? Failure { get; }
}
