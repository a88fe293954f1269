using System;
using System.Threading;

namespace JobsModule.Listing;

/// <summary>What a listing learned besides its jobs: totals and counts, readable once it has run.</summary>
internal sealed class ListingResult
{
    internal int RequestCount;

    /// <summary>The provider's count of all matching jobs, where it gives one and the module filters nothing out.</summary>
    public long? Total { get; internal set; }

    public int Pages { get; internal set; }

    public int Requests => Volatile.Read(ref RequestCount);

    /// <summary>Jobs written so far.</summary>
    public long Jobs { get; internal set; }

    /// <summary>What a retry is waiting for, while it waits; null otherwise.</summary>
    public string? Waiting
    {
        get => Volatile.Read(ref _waiting);
        internal set => Volatile.Write(ref _waiting, value);
    }

    /// <summary>Called on the listing's own thread about five times a second while it waits for a page.</summary>
    public Action? Heartbeat { get; set; }

    /// <summary>
    /// For an account listed on a thread of its own (several at once): waits until the caller has dealt
    /// with every job handed on so far, so that none of them is stopped while the next page is on its way.
    /// </summary>
    internal Action<CancellationToken>? AwaitConsumer { get; set; }

    private string? _waiting;
}
