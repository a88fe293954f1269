using JobsModule.Engine;
using JobsModule.Transport;

namespace JobsModule.Operations;

/// <summary>Why a job must not be sent its provider's stop request, or null when it may: Stop-ProviderJob looks before it acts.</summary>
internal static class StopRule
{
    public static StopRefusal? Check(ProviderJob job, JobRequest stop)
    {
        if (job.Status is JobStatus.Succeeded or JobStatus.Failed or JobStatus.Canceled)
        {
            return new StopRefusal(StopRefusalKind.Finished, Strings.JobAlreadyFinished(job, stop.DeletesJob));
        }

        // A status the module does not know may be a finished one: a stop that deletes is not risked on it.
        if (job.Status == JobStatus.Unknown && stop.DeletesJob)
        {
            return new StopRefusal(StopRefusalKind.StatusUnknown, Strings.StopStatusUnknown(job));
        }

        return null;
    }
}
