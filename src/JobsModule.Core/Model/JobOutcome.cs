namespace JobsModule;

/// <summary>
/// What a job's result is, as far as its provider's own data tells: <see cref="ProviderJob.Status"/> says
/// where a job is, this says whether the work was done. A runbook that must act only on work done in
/// full keeps the jobs whose Outcome is <see cref="Complete"/>.
/// </summary>
public enum JobOutcome
{
    /// <summary>Not finished yet (queued or running).</summary>
    Unfinished = 0,

    /// <summary>Finished, and the provider's data says every part succeeded.</summary>
    Complete = 1,

    /// <summary>Finished, some parts succeeded and some failed (a Convertly job with failed files, an Unstructured job completed with errors).</summary>
    Partial = 2,

    /// <summary>Finished without doing its work.</summary>
    Failed = 3,

    /// <summary>Stopped before it finished, by a user or by the provider.</summary>
    Canceled = 4,

    /// <summary>
    /// The module cannot vouch for the result: a finished job whose listing cannot say whether every part
    /// succeeded (an Unstructured COMPLETED job without its details: Get-ProviderJob -Detailed reads them),
    /// or a status the module does not know.
    /// </summary>
    Unverified = 5,
}
