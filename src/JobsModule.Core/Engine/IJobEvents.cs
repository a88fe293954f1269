using JobsModule.Operations;

namespace JobsModule.Engine;

/// <summary>
/// What waiting for and acting on jobs tell their caller, and the one thing they ask. Called only on
/// the thread that runs the wait or the action, so a cmdlet that runs them on its pipeline thread can
/// write each event as it comes; the engine itself never writes anything.
/// </summary>
internal interface IJobEvents
{
    /// <summary>A job to hand on: finished, stopped or deleted (-PassThru), or as last seen when a wait ran out of time.</summary>
    void Output(ProviderJob job);

    void Warning(string text);

    /// <summary>One job is left out; the others go on.</summary>
    void Problem(JobProblem problem);

    /// <summary>How many of the jobs waited for have finished so far.</summary>
    void Progress(int finished, int total);

    /// <summary>About five times a second while a request or the next poll is awaited: time to write what the requests logged.</summary>
    void Heartbeat();

    /// <summary>Whether to send a request that changes a job (ShouldProcess): <paramref name="target"/> is the job as read, <paramref name="action"/> what the provider will do.</summary>
    bool Confirm(string target, string action);
}
