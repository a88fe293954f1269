namespace JobsModule.Providers;

/// <summary>
/// The one default rule from a job's status to its outcome; each adapter refines it where its provider's
/// data says more (a count of failed files, a status that does not say whether every part succeeded).
/// </summary>
internal static class OutcomeRule
{
    /// <summary>
    /// Succeeded is Complete, Failed Failed, Canceled Canceled, Queued and Running Unfinished. A status the
    /// module does not know is Unverified: nothing says whether the job finished or how, and
    /// Wait-ProviderJob goes on polling it as unfinished.
    /// </summary>
    public static JobOutcome Of(JobStatus status) => status switch
    {
        JobStatus.Queued or JobStatus.Running => JobOutcome.Unfinished,
        JobStatus.Succeeded => JobOutcome.Complete,
        JobStatus.Failed => JobOutcome.Failed,
        JobStatus.Canceled => JobOutcome.Canceled,
        _ => JobOutcome.Unverified,
    };
}
