namespace JobsModule.Watching;

/// <summary>
/// The changes one pass finds for one account, from what it knew before and what it read now. Pure: the
/// state moves on only as each change is written (<see cref="AccountWatch.Apply"/>), so a pass that stops
/// early (-Count, Ctrl+C, a stopped pipeline) leaves the rest for the next one.
/// </summary>
internal static class ChangeDetector
{
    /// <summary>
    /// New jobs oldest first (so the newest written only moves forward), then the known jobs whose status
    /// or, in the same status, outcome moved, as the listing showed them or, for those it did not reach,
    /// as read by id.
    /// </summary>
    /// <param name="known">What the watch knew of the account.</param>
    /// <param name="listed">The account's jobs from its newest down to the newest known (null when that listing failed: new jobs wait for the next pass).</param>
    /// <param name="readById">Known unfinished jobs the listing did not show, as read by id now (those that could not be read are missing).</param>
    /// <param name="detectedAt">When the pass read them.</param>
    public static List<JobChange> Detect(AccountWatch known, IReadOnlyList<ProviderJob>? listed, IReadOnlyDictionary<string, ProviderJob> readById, DateTimeOffset detectedAt)
    {
        var changes = new List<JobChange>();
        var fresh = new List<ProviderJob>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in listed ?? Array.Empty<ProviderJob>())
        {
            if (!seen.Add(job.Id))
            {
                continue;
            }

            if (known.Unfinished.TryGetValue(job.Id, out var last))
            {
                if (Compare(last, job, detectedAt) is { } change)
                {
                    changes.Add(change);
                }
            }
            else if (known.IsNew(job, detectedAt))
            {
                fresh.Add(job);
            }
        }

        // Oldest first; jobs without a creation time after the rest (they do not move the newest).
        var news = fresh
            .OrderBy(job => job.CreatedUtc is null)
            .ThenBy(job => job.CreatedUtc)
            .Select(job => new JobChange(JobChangeKind.New, job, null, null, detectedAt))
            .ToList();

        foreach (var pair in known.Unfinished)
        {
            if (!seen.Contains(pair.Key) && readById.TryGetValue(pair.Key, out var job) && Compare(pair.Value, job, detectedAt) is { } change)
            {
                changes.Add(change);
            }
        }

        news.AddRange(changes);
        return news;
    }

    /// <summary>
    /// The change of a known job: StatusChanged when its status moved (its outcome usually moved with it),
    /// OutcomeChanged when only its outcome did (a finished job whose details are read now); null when neither.
    /// </summary>
    private static JobChange? Compare(WatchedJob last, ProviderJob job, DateTimeOffset detectedAt)
    {
        if (last.Status != job.Status)
        {
            return new JobChange(JobChangeKind.StatusChanged, job, last.Status, last.Outcome, detectedAt);
        }

        return last.Outcome != job.Outcome ? new JobChange(JobChangeKind.OutcomeChanged, job, last.Status, last.Outcome, detectedAt) : null;
    }

    /// <summary>The known unfinished jobs <paramref name="listed"/> does not show: they are read by id.</summary>
    public static List<string> ToRead(AccountWatch known, IReadOnlyList<ProviderJob>? listed)
    {
        var shown = listed is null ? null : new HashSet<string>(listed.Select(job => job.Id), StringComparer.Ordinal);
        return known.Unfinished.Keys.Where(id => shown is null || !shown.Contains(id)).ToList();
    }
}
