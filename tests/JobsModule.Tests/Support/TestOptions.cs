namespace JobsModule.Tests.Support;

/// <summary>
/// A test's settings for a call, in one place: how hard requests try and when a listing reads ahead, with
/// the engine's own defaults. <see cref="Call"/> makes the call context the engine takes.
/// </summary>
internal sealed record TestOptions
{
    public int MaximumRetryCount { get; init; } = RequestPolicy.Default.MaximumRetryCount;

    public TimeSpan RetryInterval { get; init; } = RequestPolicy.Default.RetryInterval;

    public bool RetryIntervalGiven { get; init; }

    public TimeSpan MaximumRetryDelay { get; init; } = RequestPolicy.Default.MaximumRetryDelay;

    public TimeSpan RequestTimeout { get; init; } = RequestPolicy.Default.RequestTimeout;

    public SemaphoreSlim? RequestGate { get; init; }

    public Deadline? Deadline { get; init; }

    public bool PrefetchNextPage { get; init; } = ReadAhead.Default.PrefetchNextPage;

    public int PrefetchAfterJobs { get; init; } = ReadAhead.Default.PrefetchAfterJobs;

    public TimeSpan PrefetchAfter { get; init; } = ReadAhead.Default.PrefetchAfter;

    public int? FirstPageSize { get; init; } = ReadAhead.Default.FirstPageSize;

    public RequestPolicy Policy => new()
    {
        MaximumRetryCount = MaximumRetryCount,
        RetryInterval = RetryInterval,
        RetryIntervalGiven = RetryIntervalGiven,
        MaximumRetryDelay = MaximumRetryDelay,
        RequestTimeout = RequestTimeout,
    };

    /// <summary>The call context of these settings, logging to <paramref name="log"/> and stopped by <paramref name="token"/>.</summary>
    public CallContext Call(CallLog? log = null, CancellationToken token = default) => new(log ?? new CallLog(), token)
    {
        Policy = Policy,
        ReadAhead = new ReadAhead
        {
            PrefetchNextPage = PrefetchNextPage,
            PrefetchAfterJobs = PrefetchAfterJobs,
            PrefetchAfter = PrefetchAfter,
            FirstPageSize = FirstPageSize,
        },
        Gate = RequestGate,
        Deadline = Deadline,
    };
}
