using JobsModule.Operations;

namespace JobsModule.Outputs;

/// <summary>
/// What saving outputs tells its caller, and the one thing it asks, in the way of
/// <see cref="Engine.IJobEvents"/>: called only on the thread that runs <see cref="OutputSaver"/>, so a
/// cmdlet can write each event as it comes. Verbose lines go to the call's ListingLog, as every request's do.
/// </summary>
internal interface IOutputEvents
{
    /// <summary>A file saved whole under its final name.</summary>
    void Saved(SavedOutput file);

    /// <summary>An output (or every output of a job) not saved; the others go on.</summary>
    void Problem(OutputProblem problem);

    /// <summary>A job that could not be read (not found, a rejected key): none of its outputs is saved.</summary>
    void Problem(JobProblem problem);

    void Progress(SaveProgress progress);

    /// <summary>About five times a second while downloads run or a request is awaited: time to write what the requests logged.</summary>
    void Heartbeat();

    /// <summary>Whether to save a job's outputs (ShouldProcess), asked before anything is sent for the job.</summary>
    bool Confirm(string target, string action);
}
