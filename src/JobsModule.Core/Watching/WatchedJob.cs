namespace JobsModule.Watching;

/// <summary>What the watch remembers of a job that has not finished: the status it last wrote for it.</summary>
internal readonly record struct WatchedJob(JobStatus Status);
