using JobsModule.Listing;

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

    /// <summary>The filters that decide which jobs an account's state follows, as text for its name in the state.</summary>
    public static string FiltersOf(JobQuery query)
    {
        var parts = new List<string>();
        if (query.Kinds.Count > 0)
        {
            parts.Add("kind=" + string.Join(",", query.Kinds.OrderBy(kind => kind, StringComparer.OrdinalIgnoreCase)));
        }

        if (query.WorkflowId is { } workflow)
        {
            parts.Add("workflow=" + workflow);
        }

        if (query.InputUri is { } input)
        {
            parts.Add("input=" + input);
        }

        return string.Join(";", parts);
    }
}
