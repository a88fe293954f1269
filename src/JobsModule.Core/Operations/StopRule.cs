using JobsModule.Engine;
using JobsModule.Transport;

namespace JobsModule.Operations;

/// <summary>Why a job must not be sent its provider's stop request, or null when it may: Stop-ProviderJob looks before it acts.</summary>
internal static class StopRule
{
    public static Problem? Check(ProviderJob job, JobRequest stop)
    {
        if (job.Status.IsFinished())
        {
            return new Problem(ProblemKind.JobAlreadyFinished, Strings.JobAlreadyFinished(job, stop.DeletesJob)) { Provider = job.Provider, JobId = job.Id };
        }

        // A status the module does not know may be a finished one: a stop that deletes is not risked on it.
        if (job.Status == JobStatus.Unknown && stop.DeletesJob)
        {
            return new Problem(ProblemKind.JobStatusUnknown, Strings.StopStatusUnknown(job)) { Provider = job.Provider, JobId = job.Id };
        }

        return null;
    }
}
