namespace JobsModule.Operations;

/// <summary>How a wait polls and when it ends (Wait-ProviderJob's -PollingIntervalSec, -Timeout and -Any).</summary>
internal sealed record WaitSettings
{
    /// <summary>Time between two reads of one job; null: each provider's own <see cref="ProviderInfo.PollingInterval"/>.</summary>
    public TimeSpan? PollingInterval { get; init; }

    /// <summary>The longest wait; null waits as long as it takes. Every job is read at least once, so zero is a one-off check.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>End as soon as one job has finished.</summary>
    public bool Any { get; init; }

    /// <summary>Read a finished job's details before it is written, where its provider has any (-Detailed).</summary>
    public bool Detailed { get; init; }
}
