namespace JobsModule;

/// <summary>One change Watch-ProviderJob found: a new job, or a known one in a new status. Each is written once.</summary>
public sealed class JobChange
{
    internal JobChange(JobChangeKind change, ProviderJob job, JobStatus? previousStatus, DateTimeOffset detectedAt)
    {
        Change = change;
        Job = job;
        PreviousStatus = previousStatus;
        DetectedAt = detectedAt;
    }

    public JobChangeKind Change { get; }

    /// <summary>The job as the pass read it.</summary>
    public ProviderJob Job { get; }

    /// <summary>The status the watch last saw (null for a new job).</summary>
    public JobStatus? PreviousStatus { get; }

    /// <summary>When the pass read the job, in UTC.</summary>
    public DateTimeOffset DetectedAt { get; }

    public override string ToString() => Change + " " + Job;
}
