namespace JobsModule.Watching;

/// <summary>How a watch runs (Watch-ProviderJob's -Once, -IncludeExisting, -PollingIntervalSec, -Timeout, -Count and -Detailed).</summary>
internal sealed record WatchSettings
{
    /// <summary>One pass, then the end.</summary>
    public bool Once { get; init; }

    /// <summary>An account without state writes every job it lists as New instead of taking a silent baseline.</summary>
    public bool IncludeExisting { get; init; }

    /// <summary>Time from the start of one pass to the next; null: the shortest polling interval of the providers watched.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>The longest the watch runs; null: until stopped.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The watch ends once this many changes are written; null: no limit.</summary>
    public int? Count { get; init; }

    /// <summary>
    /// A finished job's details are read before its change is written (-Detailed); one whose details could not
    /// be read stays followed until a later pass writes its outcome.
    /// </summary>
    public bool Detailed { get; init; }

    /// <summary>The filters given (-Kind, -WorkflowId, -InputUri) as text, part of each account's name in the state.</summary>
    public string Filters { get; init; } = string.Empty;
}
