using JobsModule.Engine;

namespace JobsModule.Listing;

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
