using JobsModule.Engine;

namespace JobsModule;

/// <summary>Every error the module writes, with its stable id and category in one place.</summary>
internal static class ErrorRecords
{
    private static ErrorRecord From(ProviderRequestException exception, string? account, object? target)
    {
        var (id, category) = exception.Kind switch
        {
            ProviderErrorKind.Authentication => ("ProviderAuthenticationFailed", ErrorCategory.AuthenticationError),
            ProviderErrorKind.QuotaExceeded => ("ProviderQuotaExceeded", ErrorCategory.LimitsExceeded),
            ProviderErrorKind.RateLimited => ("ProviderRateLimited", ErrorCategory.LimitsExceeded),
            ProviderErrorKind.InvalidRequest => ("ProviderRejectedRequest", ErrorCategory.InvalidArgument),
            ProviderErrorKind.NotFound => ("ProviderNotFound", ErrorCategory.ObjectNotFound),
            ProviderErrorKind.Conflict => ("ProviderConflict", ErrorCategory.InvalidOperation),
            ProviderErrorKind.ServerError => ("ProviderUnavailable", ErrorCategory.ResourceUnavailable),
            ProviderErrorKind.InvalidResponse => ("ProviderResponseInvalid", ErrorCategory.InvalidData),
            ProviderErrorKind.Network => ("ProviderUnreachable", ErrorCategory.ConnectionError),
            ProviderErrorKind.Timeout => ("ProviderTimeout", ErrorCategory.OperationTimeout),
            ProviderErrorKind.PagingLoop => ("ProviderPagingLoop", ErrorCategory.InvalidResult),
            ProviderErrorKind.UnsafeRedirect => ("ProviderRedirectRefused", ErrorCategory.SecurityError),
            _ => ("ProviderHttpError", ErrorCategory.ProtocolError),
        };

        // The target is the provider, or "account (provider)" when an account other than the default
        // failed; an error about one job targets the job instead.
        var named = account is not null && account != exception.Provider;
        var message = named ? $"Account '{account}': {exception.Message}" : exception.Message;
        return WithDetails(new ErrorRecord(exception, id, category, target ?? ProviderAccount.Label(exception.Provider, account)), message);
    }

    /// <summary>
    /// The error record of a problem the engine reports: its id and category follow its kind. A failed
    /// request keeps the provider's own id and category; about one job, its target is the job's id, and
    /// a 404 says which job was not found. The engine has taken every key it knows out of it already.
    /// </summary>
    public static ErrorRecord From(Problem problem) => problem.Kind switch
    {
        ProblemKind.RequestFailed when problem.JobId is { } id && problem.Failure!.Kind == ProviderErrorKind.NotFound => JobNotFound(problem.Failure, id),
        ProblemKind.RequestFailed => From(problem.Failure!, problem.Account, problem.JobId),
        ProblemKind.UnknownProvider => InvalidArgument("UnknownProvider", problem.Message, problem.Target),
        ProblemKind.PageSizeOutOfRange => Query("PageSizeOutOfRange", problem),
        ProblemKind.FilterNotSupported => Query("FilterNotSupported", problem),
        ProblemKind.InvalidKind => Query("InvalidKind", problem),
        ProblemKind.Setting => Setting(problem.Setting!, problem.Target),
        ProblemKind.AccountNotFound => AccountNotFound(problem.Target!),
        ProblemKind.CancelNotSupported => NotSupported("CancelNotSupported", problem),
        ProblemKind.DeleteNotSupported => NotSupported("DeleteNotSupported", problem),
        ProblemKind.JobAlreadyFinished => StopRefused("JobAlreadyFinished", problem),
        ProblemKind.JobStatusUnknown => StopRefused("JobStatusUnknown", problem),
        ProblemKind.InvalidJobId => InvalidArgument("InvalidJobId", problem.Message, problem.JobId is null ? null : Strings.Shorten(problem.JobId, 200)),
        ProblemKind.InvalidAccountName => InvalidArgument("InvalidAccountName", problem.Message, problem.Target),
        ProblemKind.JobNotFinished or ProblemKind.OutputFileExists or ProblemKind.OutputExpired or ProblemKind.OutputNotFound
            or ProblemKind.OutputIncomplete or ProblemKind.OutputRequestFailed or ProblemKind.InsecureOutputUri
            or ProblemKind.InvalidOutputUri or ProblemKind.OutputWriteFailed or ProblemKind.UnsafeOutputName => Output(problem),
        ProblemKind.WatchStateInUse => WatchState("WatchStateInUse", ErrorCategory.ResourceBusy, problem),
        ProblemKind.WatchStateInvalid => WatchState("WatchStateInvalid", ErrorCategory.InvalidData, problem),
        ProblemKind.WatchStateUnavailable => WatchState("WatchStateUnavailable", ErrorCategory.ResourceUnavailable, problem),
        _ => WithDetails(new(new System.InvalidOperationException(problem.Message), "ApiKeyNotFound", ErrorCategory.AuthenticationError, problem.Provider), problem.Message),
    };

    /// <summary>
    /// An output (or every output of a job) Save-ProviderJobOutput did not save. The target is the file's
    /// path, or the job's id when the whole job is concerned; a failed request keeps its own id and
    /// category (ProviderUnavailable, ProviderRedirectRefused...) and its exception, in the problem's words.
    /// </summary>
    private static ErrorRecord Output(Problem problem)
    {
        var message = problem.Message;
        var target = problem.Target ?? problem.JobId;
        if (problem.Kind == ProblemKind.OutputRequestFailed)
        {
            return From(problem.Failure!.WithMessage(message), problem.Account, target);
        }

        var (id, category) = problem.Kind switch
        {
            ProblemKind.JobNotFinished => ("JobNotFinished", ErrorCategory.InvalidOperation),
            ProblemKind.OutputFileExists => ("OutputFileExists", ErrorCategory.ResourceExists),
            ProblemKind.OutputExpired => ("OutputExpired", ErrorCategory.ObjectNotFound),
            ProblemKind.OutputNotFound => ("OutputNotFound", ErrorCategory.ObjectNotFound),
            ProblemKind.OutputIncomplete => ("OutputIncomplete", ErrorCategory.ReadError),
            ProblemKind.InsecureOutputUri => ("InsecureOutputUri", ErrorCategory.SecurityError),
            ProblemKind.UnsafeOutputName => ("UnsafeOutputName", ErrorCategory.SecurityError),
            ProblemKind.InvalidOutputUri => ("InvalidOutputUri", ErrorCategory.InvalidData),
            _ => ("OutputWriteFailed", ErrorCategory.WriteError),
        };
        System.Exception exception = problem.Failure is { } failure
            ? failure.WithMessage(message)
            : problem.Kind switch
            {
                ProblemKind.JobNotFinished => new System.InvalidOperationException(message),
                ProblemKind.OutputExpired or ProblemKind.OutputNotFound => new ItemNotFoundException(message),
                ProblemKind.InsecureOutputUri or ProblemKind.UnsafeOutputName => new System.Security.SecurityException(message),
                ProblemKind.InvalidOutputUri => new System.IO.InvalidDataException(message),
                _ => new System.IO.IOException(message),
            };
        return WithDetails(new ErrorRecord(exception, id, category, target), message);
    }

    private static ErrorRecord Query(string id, Problem problem) =>
        WithDetails(new ErrorRecord(new System.ArgumentException(problem.Message, problem.Parameter), id, ErrorCategory.InvalidArgument, problem.Provider), problem.Message);

    private static ErrorRecord NotSupported(string id, Problem problem) =>
        WithDetails(new ErrorRecord(new System.NotSupportedException(problem.Message), id, ErrorCategory.NotImplemented, problem.JobId), problem.Message);

    private static ErrorRecord StopRefused(string id, Problem problem) =>
        WithDetails(new ErrorRecord(new System.InvalidOperationException(problem.Message), id, ErrorCategory.InvalidOperation, problem.JobId), problem.Message);

    private static ErrorRecord WatchState(string id, ErrorCategory category, Problem problem) =>
        WithDetails(new ErrorRecord(new System.InvalidOperationException(problem.Message), id, category, problem.Target), problem.Message);

    public static ErrorRecord InvalidArgument(string id, string message, object? target) =>
        WithDetails(new ErrorRecord(new System.ArgumentException(message), id, ErrorCategory.InvalidArgument, target), message);

    // Every record is finished here. ArgumentException appends "(Parameter 'x')" to its message; users read
    // the sentence alone. What an error view shows (the sentence, and the target's name in CategoryInfo) has
    // anything that would act on the terminal escaped (DisplayText); the exception and TargetObject keep the
    // exact text for scripts.
    private static ErrorRecord WithDetails(ErrorRecord record, string message)
    {
        record.ErrorDetails = new ErrorDetails(DisplayText.Inert(message));
        if (record.CategoryInfo.TargetName is { } name && DisplayText.Inert(name) is { } shown && !ReferenceEquals(shown, name))
        {
            record.CategoryInfo.TargetName = shown;
        }

        return record;
    }

    public static ErrorRecord AccountNotFound(string name) =>
        WithDetails(
            new(new System.Management.Automation.ItemNotFoundException(Strings.AccountNotFound(name)), "AccountNotFound", ErrorCategory.ObjectNotFound, name),
            Strings.AccountNotFound(name));

    public static ErrorRecord AccountNotConnected(string name, string? provider)
    {
        var message = $"No connected account named '{name}'" + (provider is null ? "." : $" for {provider}.")
            + " Accounts from environment variables go away when the variable is removed.";
        return WithDetails(new(new System.Management.Automation.ItemNotFoundException(message), "AccountNotConnected", ErrorCategory.ObjectNotFound, name), message);
    }

    /// <summary>
    /// A 404 for one job, in one wording whichever cmdlet asked: the exception says it too (the
    /// provider's own words stay in its ProviderMessage), so $_.Exception.Message and the error agree.
    /// </summary>
    private static ErrorRecord JobNotFound(ProviderRequestException exception, string id)
    {
        var message = Strings.JobNotFound(exception.Provider, id);
        return WithDetails(new ErrorRecord(exception.WithMessage(message), "JobNotFound", ErrorCategory.ObjectNotFound, id), message);
    }

    /// <summary>
    /// A setting that cannot be used: plain http off this machine is a security error, anything else bad
    /// input. A base URL is shown as given, so every key the module knows is taken out of the message and target.
    /// </summary>
    private static ErrorRecord Setting(InvalidSettingException exception, string? target)
    {
        var (id, category) = exception.Problem switch
        {
            SettingProblem.InsecureBaseUri => ("InsecureBaseUri", ErrorCategory.SecurityError),
            SettingProblem.ApiVersion => ("InvalidApiVersion", ErrorCategory.InvalidArgument),
            SettingProblem.ApiKey => ("InvalidApiKey", ErrorCategory.InvalidArgument),
            SettingProblem.ApiKeyEmpty => ("ApiKeyEmpty", ErrorCategory.InvalidArgument),
            _ => ("InvalidBaseUri", ErrorCategory.InvalidArgument),
        };
        return WithDetails(new ErrorRecord(exception, id, category, target ?? exception.Setting), exception.Message);
    }
}
