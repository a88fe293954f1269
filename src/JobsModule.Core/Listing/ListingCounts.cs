namespace JobsModule.Listing;

/// <summary>What a listing learned besides its jobs, as it goes: totals, counts and what it is waiting for. It only reports.</summary>
internal sealed class ListingCounts
{
    internal int RequestCount;

    /// <summary>The provider's count of all matching jobs, where it gives one and the module filters nothing out.</summary>
    public long? Total { get; internal set; }

    public int Pages { get; internal set; }

    /// <summary>Requests sent so far, retries included (-Detailed's verbose line counts its extra ones).</summary>
    public int Requests => Volatile.Read(ref RequestCount);

    /// <summary>Jobs written so far.</summary>
    public long Jobs { get; internal set; }

    /// <summary>What a retry is waiting for, while it waits; null otherwise.</summary>
    public string? Waiting
    {
        get => Volatile.Read(ref _waiting);
        internal set => Volatile.Write(ref _waiting, value);
    }

    private string? _waiting;
}
