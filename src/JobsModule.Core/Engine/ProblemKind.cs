namespace JobsModule.Engine;

/// <summary>What kind of thing went wrong; the cmdlets give each kind its error id and category (ErrorRecords).</summary>
internal enum ProblemKind
{
    /// <summary>A provider name the module does not know; the target is the name.</summary>
    UnknownProvider,

    /// <summary>-PageSize beyond what a provider serves.</summary>
    PageSizeOutOfRange,

    /// <summary>A filter a provider cannot apply.</summary>
    FilterNotSupported,

    /// <summary>A kind a provider does not document.</summary>
    InvalidKind,

    /// <summary>A key, base URL or API version that cannot be used; <see cref="Problem.Setting"/> says which and where from.</summary>
    Setting,

    /// <summary>A provider without a key.</summary>
    MissingKey,

    /// <summary>No provider has a key at all.</summary>
    NoKeys,

    /// <summary>-Account names no account; the target is the name.</summary>
    AccountNotFound,

    /// <summary>A request failed (a listing, or one job's read, stop or delete); <see cref="Problem.Failure"/> says how.</summary>
    RequestFailed,

    /// <summary>The provider documents no request that stops a job; nothing was sent.</summary>
    CancelNotSupported,

    /// <summary>The provider documents no request that deletes a job; nothing was sent.</summary>
    DeleteNotSupported,

    /// <summary>The job has finished, so it is not sent a stop.</summary>
    JobAlreadyFinished,

    /// <summary>The job's status is one the module does not know, and its provider's stop deletes: nothing is risked.</summary>
    JobStatusUnknown,

    /// <summary>An id that cannot be sent (it would leave its URL segment, or is no id).</summary>
    InvalidJobId,

    /// <summary>A name an account cannot have: -Account and -Name could not select it again.</summary>
    InvalidAccountName,

    /// <summary>Save-ProviderJobOutput: the job has not finished (or has a status the module does not know); nothing was sent for it.</summary>
    JobNotFinished,

    /// <summary>A file of an output's name is already there and -Force was not given: it was left as it was. The target is its path.</summary>
    OutputFileExists,

    /// <summary>An output is gone, past the retention period its provider documents (a 404, or a finished job without its output).</summary>
    OutputExpired,

    /// <summary>An output is gone (404 or 410) and its provider documents no retention period.</summary>
    OutputNotFound,

    /// <summary>A download ended before the whole file arrived (cut, stalled, or shorter than announced), after every retry.</summary>
    OutputIncomplete,

    /// <summary>A request for an output failed otherwise; <see cref="Problem.Failure"/> says how.</summary>
    OutputRequestFailed,

    /// <summary>An output's URL is plain http to another machine; nothing was sent.</summary>
    InsecureOutputUri,

    /// <summary>An output's URL is not an absolute http or https URL; nothing was sent.</summary>
    InvalidOutputUri,

    /// <summary>An output's file could not be written (folder, disk, permissions).</summary>
    OutputWriteFailed,

    /// <summary>An output's path would not be inside the folder saved to; nothing was sent.</summary>
    UnsafeOutputName,
    /// <summary>Another watch holds the state file (-StatePath) for its run.</summary>
    WatchStateInUse,

    /// <summary>The state file is damaged, foreign or of a later format; it is left as it is.</summary>
    WatchStateInvalid,

    /// <summary>The state file could not be read or written (a missing folder, no access).</summary>
    WatchStateUnavailable,
}
