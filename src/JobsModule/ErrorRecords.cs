using System.Management.Automation;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Listing;
using JobsModule.Operations;
using JobsModule.Outputs;

namespace JobsModule;

/// <summary>Every error the module writes, with its stable id and category in one place.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(ProviderRequestException exception, string? account = null, object? target = null)
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
        return WithDetails(new ErrorRecord(exception, id, category, target ?? (named ? $"{account} ({exception.Provider})" : exception.Provider)), message);
    }

    /// <summary>
    /// One job left out of a wait, stop or delete; the target is the job's id. A 404 says which job was
    /// not found; any other failure (a refused cancel, say) keeps its own id and category.
    /// </summary>
    public static ErrorRecord From(JobProblem problem, Redactor secrets) => problem.Kind switch
    {
        JobProblemKind.CancelNotSupported => CancelNotSupported(problem.Provider, problem.Id),
        JobProblemKind.DeleteNotSupported => DeleteNotSupported(problem.Provider, problem.Id),
        JobProblemKind.StopRefused => StopRefused(problem.Refusal!, problem.Id),
        _ => problem.Failure!.Kind == ProviderErrorKind.NotFound
            ? JobNotFound(problem.Failure.Redact(secrets), problem.Id)
            : From(problem.Failure.Redact(secrets), problem.Account, problem.Id),
    };

    /// <summary>
    /// An output (or every output of a job) Save-ProviderJobOutput did not save. The target is the file's
    /// path, or the job's id when the whole job is concerned; a failed request keeps its own id and
    /// category (ProviderUnavailable, ProviderTimeout...) and its exception, in the problem's words.
    /// </summary>
    public static ErrorRecord From(OutputProblem problem, Redactor secrets)
    {
        var message = secrets.Redact(problem.Message);
        var target = problem.Path ?? problem.JobId;
        if (problem.Kind == OutputProblemKind.RequestFailed)
        {
            return From(problem.Failure!.Redact(secrets).WithMessage(message), problem.Account, target);
        }

        var (id, category) = problem.Kind switch
        {
            OutputProblemKind.NotFinished => ("JobNotFinished", ErrorCategory.InvalidOperation),
            OutputProblemKind.FileExists => ("OutputFileExists", ErrorCategory.ResourceExists),
            OutputProblemKind.Expired => ("OutputExpired", ErrorCategory.ObjectNotFound),
            OutputProblemKind.NotFound => ("OutputNotFound", ErrorCategory.ObjectNotFound),
            OutputProblemKind.Incomplete => ("OutputIncomplete", ErrorCategory.ReadError),
            OutputProblemKind.InsecureUri => ("InsecureOutputUri", ErrorCategory.SecurityError),
            OutputProblemKind.UnsafeName => ("UnsafeOutputName", ErrorCategory.SecurityError),
            OutputProblemKind.InvalidUri => ("InvalidOutputUri", ErrorCategory.InvalidData),
            _ => ("OutputWriteFailed", ErrorCategory.WriteError),
        };
        System.Exception exception = problem.Failure is { } failure
            ? failure.Redact(secrets).WithMessage(message)
            : problem.Kind switch
            {
                OutputProblemKind.NotFinished => new System.InvalidOperationException(message),
                OutputProblemKind.Expired or OutputProblemKind.NotFound => new ItemNotFoundException(message),
                OutputProblemKind.InsecureUri or OutputProblemKind.UnsafeName => new System.Security.SecurityException(message),
                OutputProblemKind.InvalidUri => new System.IO.InvalidDataException(message),
                _ => new System.IO.IOException(message),
            };
        return WithDetails(new ErrorRecord(exception, id, category, target), message);
    }

    public static ErrorRecord From(QueryProblem problem, string provider)
    {
        var id = problem.Kind switch
        {
            QueryProblemKind.PageSizeOutOfRange => "PageSizeOutOfRange",
            QueryProblemKind.InvalidKind => "InvalidKind",
            _ => "FilterNotSupported",
        };
        return WithDetails(new ErrorRecord(new System.ArgumentException(problem.Message, problem.Parameter), id, ErrorCategory.InvalidArgument, provider), problem.Message);
    }

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

    public static ErrorRecord MissingKey(ProviderInfo info) => MissingKey(Strings.NoKey(info.Name, info.KeyVariables), info.Name);

    private static ErrorRecord MissingKey(string message, string? provider) =>
        WithDetails(new(new System.InvalidOperationException(message), "ApiKeyNotFound", ErrorCategory.AuthenticationError, provider), message);

    public static ErrorRecord AccountNotFound(string name) =>
        WithDetails(
            new(new System.Management.Automation.ItemNotFoundException(Strings.AccountNotFound(name)), "AccountNotFound", ErrorCategory.ObjectNotFound, name),
            Strings.AccountNotFound(name));

    /// <summary>Why an account or provider cannot be used; the selection found it, this is its error record.</summary>
    public static ErrorRecord From(SelectionProblem problem, Redactor secrets) => problem.Kind switch
    {
        SelectionProblemKind.UnknownProvider => InvalidArgument("UnknownProvider", problem.Message, problem.Target),
        SelectionProblemKind.PageSizeOutOfRange or SelectionProblemKind.FilterNotSupported or SelectionProblemKind.InvalidKind => From(problem.Query!.Value, problem.Provider!),
        SelectionProblemKind.Setting => Setting(problem.Setting!, problem.Target, secrets),
        SelectionProblemKind.AccountNotFound => AccountNotFound(problem.Target!),
        _ => MissingKey(problem.Message, problem.Provider),
    };

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
    public static ErrorRecord JobNotFound(ProviderRequestException exception, string id)
    {
        var message = Strings.JobNotFound(exception.Provider, id);
        return WithDetails(new ErrorRecord(exception.WithMessage(message), "JobNotFound", ErrorCategory.ObjectNotFound, id), message);
    }

    public static ErrorRecord CancelNotSupported(string provider, string id) =>
        NotSupported("CancelNotSupported", Strings.CannotCancel(provider, id), id);

    public static ErrorRecord DeleteNotSupported(string provider, string id) =>
        NotSupported("DeleteNotSupported", Strings.CannotDelete(provider, id), id);

    private static ErrorRecord NotSupported(string errorId, string message, string id) =>
        WithDetails(new ErrorRecord(new System.NotSupportedException(message), errorId, ErrorCategory.NotImplemented, id), message);

    public static ErrorRecord StopRefused(StopRefusal refusal, string id)
    {
        var errorId = refusal.Kind == StopRefusalKind.Finished ? "JobAlreadyFinished" : "JobStatusUnknown";
        return WithDetails(new ErrorRecord(new System.InvalidOperationException(refusal.Message), errorId, ErrorCategory.InvalidOperation, id), refusal.Message);
    }

    /// <summary>
    /// A setting that cannot be used: plain http off this machine is a security error, anything else bad
    /// input. A base URL is shown as given, so every key the module knows is taken out of the message and target.
    /// </summary>
    public static ErrorRecord Setting(InvalidSettingException exception, string? target, Redactor secrets)
    {
        exception = exception.Redact(secrets);
        target = secrets.RedactOrNull(target);
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

    /// <summary>An id that cannot be sent (it would leave its URL segment, or is no id); the target is the id, shortened.</summary>
    public static ErrorRecord InvalidJobId(string? id, string message) =>
        InvalidArgument("InvalidJobId", message, id is null ? null : Strings.Shorten(id, 200));

    /// <summary>A name that an account cannot have (it could not be selected again); the target is the name, shortened.</summary>
    public static ErrorRecord InvalidAccountName(string name, string message) =>
        InvalidArgument("InvalidAccountName", message, Strings.Shorten(name, 200));

}
