namespace JobsModule;

/// <summary>The provider-neutral state of a job. A provider status the module does not know maps to Unknown.</summary>
public enum JobStatus
{
    Unknown = 0,
    Queued = 1,
    Running = 2,
    Succeeded = 3,
    Failed = 4,
    Canceled = 5,
}
