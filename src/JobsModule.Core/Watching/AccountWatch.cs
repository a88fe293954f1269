namespace JobsModule.Watching;

/// <summary>
/// What the watch knows of one account: the newest creation time it has written (and the ids created at
/// that very time, so a job created in the same millisecond is still new), and the last status and
/// outcome of each job not yet finished. A finished job leaves once its change is written (under
/// -Detailed, once its outcome is known too), so the size follows the unfinished jobs, not the account's
/// history. Jobs without a creation time, or with one too far ahead of this machine's clock to be true
/// (<see cref="ClockSkew"/>), cannot be placed against the newest one, so the finished ones among them
/// are remembered by id instead.
/// </summary>
internal sealed class AccountWatch
{
    /// <summary>
    /// How far ahead of this machine's clock a creation time may be and still place a job. A job dated
    /// later (a server's wrong date) would otherwise become the newest, and every job created before
    /// that date would look old and never be written: it is remembered by id instead, as an undated one.
    /// </summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    public DateTime? NewestUtc { get; private set; }

    public HashSet<string> NewestIds { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, WatchedJob> Unfinished { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Undated { get; } = new(StringComparer.Ordinal);

    /// <summary>The baseline of a first pass: every job of the account known as it is now, nothing to write.</summary>
    public static AccountWatch Baseline(IEnumerable<ProviderJob> jobs, DateTimeOffset readAt)
    {
        var watch = new AccountWatch();
        foreach (var job in jobs)
        {
            watch.Know(job, readAt, followUnverified: false);
        }

        return watch;
    }

    /// <summary>Restored from a state file (see <see cref="WatchStateFormat"/>).</summary>
    public static AccountWatch Restored(DateTime? newestUtc, IEnumerable<string> newestIds, IEnumerable<KeyValuePair<string, WatchedJob>> unfinished, IEnumerable<string> undated)
    {
        var watch = new AccountWatch { NewestUtc = newestUtc };
        watch.NewestIds.UnionWith(newestIds);
        foreach (var job in unfinished)
        {
            watch.Unfinished[job.Key] = job.Value;
        }

        watch.Undated.UnionWith(undated);
        return watch;
    }

    /// <summary>
    /// True for a job this watch has never written or known (one older than the newest is not new: it was
    /// there before). <paramref name="readAt"/> is when the job was read (see <see cref="ClockSkew"/>).
    /// </summary>
    public bool IsNew(ProviderJob job, DateTimeOffset readAt)
    {
        if (Unfinished.ContainsKey(job.Id))
        {
            return false;
        }

        if (PlacedAt(job, readAt) is not { } created)
        {
            return !Undated.Contains(job.Id);
        }

        return NewestUtc is not { } newest || created > newest || (created == newest && !NewestIds.Contains(job.Id));
    }

    /// <summary>
    /// Records <paramref name="change"/> as written: the next pass starts from it. With
    /// <paramref name="followUnverified"/> (-Detailed), a finished job whose outcome is still Unverified (its
    /// details could not be read) stays followed, so a later pass reads it again and writes its outcome.
    /// </summary>
    public void Apply(JobChange change, bool followUnverified = false) => Know(change.Job, change.DetectedAt, followUnverified);

    /// <summary>Stops following the finished jobs a -Detailed watch kept for their outcome (a watch without -Detailed is done with them).</summary>
    public void ForgetFinished()
    {
        foreach (var finished in Unfinished.Where(job => job.Value.Status.IsFinished()).Select(job => job.Key).ToList())
        {
            Unfinished.Remove(finished);

            // Its creation time is not kept: remembered by id, so that it is never new again.
            Undated.Add(finished);
        }
    }

    /// <summary>Forgets a job the provider no longer has (a read by id found none).</summary>
    public void Forget(string id) => Unfinished.Remove(id);

    /// <summary>The creation time that places a job among the others: none when it has none, or one too far ahead of <paramref name="readAt"/> to be true.</summary>
    private static DateTime? PlacedAt(ProviderJob job, DateTimeOffset readAt) =>
        job.CreatedUtc is { } created && created <= readAt.UtcDateTime + ClockSkew ? created : null;

    private void Know(ProviderJob job, DateTimeOffset readAt, bool followUnverified)
    {
        var placed = PlacedAt(job, readAt);
        if (placed is { } created)
        {
            if (NewestUtc is not { } newest || created > newest)
            {
                NewestUtc = created;
                NewestIds.Clear();
                NewestIds.Add(job.Id);
            }
            else if (created == newest)
            {
                NewestIds.Add(job.Id);
            }
        }

        if (job.Status.IsFinished() && !(followUnverified && job.Outcome == JobOutcome.Unverified))
        {
            Unfinished.Remove(job.Id);
            if (placed is null)
            {
                Undated.Add(job.Id);
            }
        }
        else
        {
            Unfinished[job.Id] = new WatchedJob(job.Status, job.Outcome);
        }
    }
}
