namespace JobsModule.Listing;

/// <summary>
/// How one provider answers a query: what is sent to the server, what the module filters itself,
/// and whether every job the server sends will be kept (so pages can be sized to the limit).
/// </summary>
internal sealed class ListingPlan
{
    private readonly JobQuery _query;
    private readonly HashSet<JobStatus>? _statuses;
    private readonly HashSet<string>? _clientKinds;
    private readonly bool _dropsNewerJobs;

    public ListingPlan(ProviderInfo info, JobQuery query)
    {
        _query = query;
        var rawStatuses = query.Statuses.Count == 0
            ? new List<string>()
            : info.StatusMap.Where(pair => query.Statuses.Contains(pair.Value)).Select(pair => pair.Key).ToList();

        // A provider filter takes one raw value; several (or Unknown, which has none) are filtered here.
        var statusOnServer = rawStatuses.Count == 1 && !query.Statuses.Contains(JobStatus.Unknown);
        var kindsOnServer = info.KindFilter == KindFilterSupport.ServerList
            || (info.KindFilter == KindFilterSupport.ServerSingle && query.Kinds.Count == 1);
        _dropsNewerJobs = query.CreatedBefore is not null && !info.StartsAtCreatedBefore;

        Server = new ServerQuery
        {
            Status = statusOnServer ? rawStatuses[0] : null,
            Kinds = kindsOnServer ? query.Kinds.Select(kind => DocumentedSpelling(info, kind)).ToList() : Array.Empty<string>(),
            WorkflowId = query.WorkflowId,
            InputUri = query.InputUri,
            CreatedBefore = info.StartsAtCreatedBefore ? CeilingToMillisecond(query.CreatedBefore) : null,
        };

        _statuses = query.Statuses.Count > 0 ? new HashSet<JobStatus>(query.Statuses) : null;
        _clientKinds = query.Kinds.Count > 0 && !kindsOnServer ? new HashSet<string>(query.Kinds, StringComparer.OrdinalIgnoreCase) : null;
        StopsAtCreatedAfter = info.NewestFirst && query.CreatedAfter is not null;
        var filtersOut = (_statuses is not null && !statusOnServer) || _clientKinds is not null || _dropsNewerJobs
            || (query.CreatedAfter is not null && !StopsAtCreatedAfter);
        KeepsEveryJob = !filtersOut;
        TotalIsExact = KeepsEveryJob && query.CreatedAfter is null;
    }

    public ServerQuery Server { get; }

    /// <summary>True when every job the server sends is kept until the listing ends.</summary>
    public bool KeepsEveryJob { get; }

    /// <summary>True when the provider's own total counts exactly the jobs this listing can return.</summary>
    public bool TotalIsExact { get; }

    /// <summary>True when the first job older than CreatedAfter ends the listing (newest-first providers).</summary>
    public bool StopsAtCreatedAfter { get; }

    public bool IsBeforeCreatedAfter(ProviderJob job) =>
        _query.CreatedAfter is { } after && job.CreatedUtc is { } created && created < after;

    public bool Matches(ProviderJob job)
    {
        if (_statuses is not null && !_statuses.Contains(job.Status))
        {
            return false;
        }

        if (_clientKinds is not null && (job.Kind is null || !_clientKinds.Contains(job.Kind)))
        {
            return false;
        }

        if (_query.CreatedBefore is { } before && job.CreatedUtc is { } created && created >= before)
        {
            return false;
        }

        return !IsBeforeCreatedAfter(job);
    }

    // Kinds are checked without regard to case; the API gets them as documented.
    private static string DocumentedSpelling(ProviderInfo info, string kind) =>
        info.KnownKinds?.FirstOrDefault(known => string.Equals(known, kind, StringComparison.OrdinalIgnoreCase)) ?? kind;

    // A cursor has millisecond precision; rounding up keeps jobs in the last partial millisecond.
    private static DateTime? CeilingToMillisecond(DateTime? value)
    {
        if (value is not { } time)
        {
            return null;
        }

        var remainder = time.Ticks % TimeSpan.TicksPerMillisecond;
        return remainder == 0 ? time : time.AddTicks(TimeSpan.TicksPerMillisecond - remainder);
    }
}
