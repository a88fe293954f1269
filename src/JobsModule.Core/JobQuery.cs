using System;
using System.Collections.Generic;
using System.Linq;

namespace JobsModule;

/// <summary>What the user asked for, in provider-neutral terms. Bounds are UTC: CreatedAfter inclusive, CreatedBefore exclusive.</summary>
internal sealed record JobQuery
{
    /// <summary>The earliest -CreatedAfter/-CreatedBefore: no provider has jobs from before the Unix epoch.</summary>
    public static readonly DateTime EarliestDate = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The latest: the last whole day a timestamp cursor can carry and still be rounded up safely.</summary>
    public static readonly DateTime LatestDate = new(9999, 12, 30, 23, 59, 59, DateTimeKind.Utc);

    public IReadOnlyList<JobStatus> Statuses { get; init; } = Array.Empty<JobStatus>();

    public IReadOnlyList<string> Kinds { get; init; } = Array.Empty<string>();

    public string? WorkflowId { get; init; }

    public string? InputUri { get; init; }

    public DateTime? CreatedAfter { get; init; }

    public DateTime? CreatedBefore { get; init; }

    /// <summary>Jobs per request; null means the provider's maximum.</summary>
    public int? PageSize { get; init; }

    /// <summary>The listing stops after this many jobs (and asks for no more than it needs).</summary>
    public long Limit { get; init; } = long.MaxValue;

    /// <summary>Why this query cannot run against <paramref name="info"/>, as (parameter, message) pairs; empty when it can.</summary>
    public IReadOnlyList<QueryProblem> ProblemsWith(ProviderInfo info)
    {
        var problems = new List<QueryProblem>();
        if (PageSize is { } size && info.MaxPageSize is { } max && size > max)
        {
            problems.Add(new QueryProblem(QueryProblemKind.PageSizeOutOfRange, "PageSize", Strings.PageSizeTooLarge(info.Name, size, max)));
        }

        if (Kinds.Count > 0)
        {
            if (info.KindFilter == KindFilterSupport.None)
            {
                problems.Add(new QueryProblem(QueryProblemKind.FilterNotSupported, "Kind", Strings.CannotFilter(info.Name, "Kind")));
            }
            else if (info.KnownKinds is { } known)
            {
                foreach (var kind in Kinds.Where(kind => !known.Contains(kind, StringComparer.OrdinalIgnoreCase)))
                {
                    problems.Add(new QueryProblem(QueryProblemKind.InvalidKind, "Kind", Strings.UnknownKind(info.Name, kind, known)));
                }
            }
        }

        if (WorkflowId is not null && !info.FiltersByWorkflowId)
        {
            problems.Add(new QueryProblem(QueryProblemKind.FilterNotSupported, "WorkflowId", Strings.CannotFilter(info.Name, "WorkflowId")));
        }

        if (InputUri is not null && !info.FiltersByInputUri)
        {
            problems.Add(new QueryProblem(QueryProblemKind.FilterNotSupported, "InputUri", Strings.CannotFilter(info.Name, "InputUri")));
        }

        return problems;
    }
}

internal enum QueryProblemKind
{
    PageSizeOutOfRange,
    FilterNotSupported,
    InvalidKind,
}

internal readonly struct QueryProblem
{
    public QueryProblem(QueryProblemKind kind, string parameter, string message)
    {
        Kind = kind;
        Parameter = parameter;
        Message = message;
    }

    public QueryProblemKind Kind { get; }

    public string Parameter { get; }

    public string Message { get; }
}

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
