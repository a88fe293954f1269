using System;
using System.Threading;
using JobsModule.Transport;

namespace JobsModule.Engine;

/// <summary>How hard to try: retries as Invoke-RestMethod counts them, a timeout per request, and when to read ahead.</summary>
internal sealed record ListingOptions
{
    public static readonly ListingOptions Default = new();

    private static readonly Func<DateTimeOffset> SystemNow = () => DateTimeOffset.UtcNow;

    /// <summary>The most retries -MaximumRetryCount allows: more would only hide an outage.</summary>
    public const int MaxRetryCount = 100;

    /// <summary>The longest first backoff -RetryIntervalSec allows (an hour).</summary>
    public const int MaxRetryIntervalSeconds = 3600;

    /// <summary>The longest per-request timeout -TimeoutSec allows (a day): longer is no timeout at all.</summary>
    public const int MaxTimeoutSeconds = 86400;

    /// <summary>Retries after the first attempt, for 408, 429, 5xx and network failures.</summary>
    public int MaximumRetryCount { get; init; } = 4;

    /// <summary>The first backoff delay when the provider does not say how long to wait; it doubles per retry.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the user chose <see cref="RetryInterval"/> (-RetryIntervalSec). If not, a provider that
    /// documents a longer backoff after a bare 429 (Krea: 10-30 s) gets that backoff instead.
    /// </summary>
    public bool RetryIntervalGiven { get; init; }

    /// <summary>The longest single wait, whatever a provider asks for.</summary>
    public TimeSpan MaximumRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The end of the wait these requests are made for (-Timeout), which bounds their attempts and the
    /// waits between them; null: each request is bounded by <see cref="RequestTimeout"/> and the retries alone.
    /// </summary>
    public Deadline? Deadline { get; init; }

    /// <summary>
    /// The time the provider's request budget (<see cref="RateBudget"/>) is kept by: the system's clock, or
    /// a wait's own (<see cref="Operations.WaitClock"/>), so that a wait's schedule and the budget it asks
    /// before each poll agree.
    /// </summary>
    public Func<DateTimeOffset> Now { get; init; } = SystemNow;

    /// <summary>Shared by the listings of one call to cap the requests in flight at once (-ThrottleLimit).</summary>
    public SemaphoreSlim? RequestGate { get; init; }

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

    /// <summary>The same options for a request that must not be sent twice (a cancel, a delete).</summary>
    public ListingOptions NeverRetried() => this with { MaximumRetryCount = 0 };
}
