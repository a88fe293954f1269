namespace JobsModule.Operations;

internal enum JobProblemKind
{
    /// <summary>A request about the job failed (404: the provider has no such job); <see cref="JobProblem.Failure"/> says how.</summary>
    RequestFailed,

    /// <summary>The provider documents no request that stops a job; nothing was sent.</summary>
    CancelNotSupported,

    /// <summary>The provider documents no request that deletes a job; nothing was sent.</summary>
    DeleteNotSupported,

    /// <summary>The job was read and must not be sent a stop (<see cref="StopRule"/>); <see cref="JobProblem.Refusal"/> says why.</summary>
    StopRefused,
}
