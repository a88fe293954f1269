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

    /// <summary>Another watch holds the state file (-StatePath) for its run.</summary>
    WatchStateInUse,

    /// <summary>The state file is damaged, foreign or of a later format; it is left as it is.</summary>
    WatchStateInvalid,

    /// <summary>The state file could not be read or written (a missing folder, no access).</summary>
    WatchStateUnavailable,
}
