namespace JobsModule;

/// <summary>What a status says about a job, as one rule for every part of the engine.</summary>
internal static class JobStatusFacts
{
    /// <summary>True for a job that will not change any more: it succeeded, failed or was canceled.</summary>
    public static bool IsFinished(this JobStatus status) => status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled;
}
