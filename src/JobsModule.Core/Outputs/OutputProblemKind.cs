namespace JobsModule.Outputs;

/// <summary>Why an output, or every output of a job, was not saved; the cmdlet turns each into its error id.</summary>
internal enum OutputProblemKind
{
    /// <summary>The job has not finished (or has a status the module does not know): nothing was sent for it.</summary>
    NotFinished,

    /// <summary>A file of that name is already there and -Force was not given: it was left as it was.</summary>
    FileExists,

    /// <summary>The output is gone, past the retention period the provider documents (a 404, or a finished job without its output).</summary>
    Expired,

    /// <summary>The output is gone (404 or 410) and the provider documents no retention period.</summary>
    NotFound,

    /// <summary>The download ended before the whole file arrived (cut, stalled, or shorter than announced), after every retry.</summary>
    Incomplete,

    /// <summary>A request for the output failed otherwise; <see cref="OutputProblem.Failure"/> says how.</summary>
    RequestFailed,

    /// <summary>The output's URL is plain http to another machine; nothing was sent.</summary>
    InsecureUri,

    /// <summary>The output's URL is not an absolute http or https URL; nothing was sent.</summary>
    InvalidUri,

    /// <summary>The file could not be written (folder, disk, permissions).</summary>
    WriteFailed,

    /// <summary>The file's path would not be inside the folder saved to; nothing was sent.</summary>
    UnsafeName,
}
