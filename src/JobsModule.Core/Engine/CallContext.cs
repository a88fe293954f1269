using JobsModule.Listing;
using JobsModule.Transport;

namespace JobsModule.Engine;

/// <summary>
/// What every request of one call carries, in one value instead of four passed side by side: how hard
/// to try (<see cref="Policy"/>), when to read ahead (<see cref="ReadAhead"/>), where to log
/// (<see cref="Log"/>), when to give up (<see cref="Token"/>, <see cref="Deadline"/>), how many
/// requests may be in flight (<see cref="Gate"/>), and what to do while waiting (<see cref="Heartbeat"/>).
/// </summary>
internal sealed record CallContext
{
    private static readonly Func<DateTimeOffset> SystemNow = () => DateTimeOffset.UtcNow;

    public CallContext(CallLog log, CancellationToken token = default)
    {
        Log = log;
        Token = token;
    }

    public RequestPolicy Policy { get; init; } = RequestPolicy.Default;

    public ReadAhead ReadAhead { get; init; } = ReadAhead.Default;

    /// <summary>Where requests log, on any thread; the keys it knows are taken out of server text.</summary>
    public CallLog Log { get; }

    public CancellationToken Token { get; init; }

    /// <summary>
    /// The end of the wait these requests are made for (-Timeout), which bounds their attempts and the
    /// waits between them; null: each request is bounded by the policy's timeout and retries alone.
    /// </summary>
    public Deadline? Deadline { get; init; }

    /// <summary>
    /// The time the provider's request budget (<see cref="RateBudget"/>) is kept by: the system's clock, or
    /// a wait's own (<see cref="Operations.WaitClock"/>), so that a wait's schedule and the budget it asks
    /// before each poll agree.
    /// </summary>
    public Func<DateTimeOffset> Now { get; init; } = SystemNow;

    /// <summary>Shared by the listings of one call to cap the requests in flight at once (-ThrottleLimit).</summary>
    public SemaphoreSlim? Gate { get; init; }

    /// <summary>Called on the waiting thread about five times a second while a page, a request or a poll is awaited.</summary>
    public Action? Heartbeat { get; init; }

    /// <summary>
    /// For an account listed on a thread of its own (several at once): waits until the caller has dealt
    /// with every job handed on so far, so that none of them is stopped while the next page is on its way.
    /// </summary>
    public Action<CancellationToken>? AwaitConsumer { get; init; }
}
