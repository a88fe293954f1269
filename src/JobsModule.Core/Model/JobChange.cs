namespace JobsModule;

/// <summary>
/// One change Watch-ProviderJob found: a new job, a known one in a new status, or a known one whose outcome
/// became known (-Detailed). Each is written once.
/// </summary>
public sealed class JobChange
{
    internal JobChange(JobChangeKind change, ProviderJob job, JobStatus? previousStatus, JobOutcome? previousOutcome, DateTimeOffset detectedAt)
    {
        Change = change;
        Job = job;
        PreviousStatus = previousStatus;
        PreviousOutcome = previousOutcome;
        DetectedAt = detectedAt;
    }

    public JobChangeKind Change { get; }

    /// <summary>The job as the pass read it.</summary>
    public ProviderJob Job { get; }

    /// <summary>The status the watch last saw (null for a new job).</summary>
    public JobStatus? PreviousStatus { get; }

    /// <summary>The outcome the watch last saw (null for a new job).</summary>
    public JobOutcome? PreviousOutcome { get; }

    /// <summary>When the pass read the job, in UTC.</summary>
    public DateTimeOffset DetectedAt { get; }

    public override string ToString() => Change + " " + Job;
}
