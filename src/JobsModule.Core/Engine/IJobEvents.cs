namespace JobsModule.Engine;

/// <summary>
/// What the engine tells the cmdlet that called it, and the one thing it asks. Called only on the
/// thread the call runs on (the pipeline thread), so a cmdlet writes each event as it comes; the engine
/// itself never writes anything. Text from a server has every key the module knows taken out already;
/// showing it inert on a terminal is the cmdlet's part.
/// </summary>
internal interface IJobEvents
{
    /// <summary>A job to hand on: listed, read, finished, stopped or deleted (-PassThru), or as last seen when a wait ran out of time.</summary>
    void Output(ProviderJob job);

    /// <summary>A file saved whole under its final name (<paramref name="path"/>, a full path), with the job it came from (-PassThru).</summary>
    void Saved(string path, string provider, string jobId, string? account);
    /// <summary>A change a watch found (Watch-ProviderJob), once.</summary>
    void Output(JobChange change);

    void Warning(string text);

    void Verbose(string text);

    /// <summary>A request and its answer, with headers (keys masked).</summary>
    void Debug(string text);

    /// <summary>Something was not done (an account, a listing, a job); the rest goes on.</summary>
    void Problem(Problem problem);

    /// <summary>
    /// A progress bar: <paramref name="id"/> (1 for the call's own bar), its parent's id (null for none),
    /// the activity (null: the command's own name), the status line, the percent done (-1: unknown), and
    /// whether the bar is done and goes away.
    /// </summary>
    void Progress(int id, int? parentId, string? activity, string status, int percentComplete, bool completed);

    /// <summary>Whether to send a request that changes a job (ShouldProcess): <paramref name="target"/> is the job as read, <paramref name="action"/> what the provider will do.</summary>
    bool Confirm(string target, string action);
}
