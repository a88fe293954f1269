namespace JobsModule.Watching;

/// <summary>What the watch remembers of a job it still follows: the status and outcome it last wrote for it.</summary>
internal readonly record struct WatchedJob(JobStatus Status, JobOutcome Outcome);
