using System.Collections.Generic;
using System.Management.Automation;

namespace JobsModule;

/// <summary>Every error the module writes, with its stable id and category in one place.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(ProviderRequestException exception)
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

        return new ErrorRecord(exception, id, category, exception.Provider)
        {
            ErrorDetails = new ErrorDetails(exception.Message),
        };
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

    // ArgumentException appends "(Parameter 'x')" to its message; users read the sentence alone.
    private static ErrorRecord WithDetails(ErrorRecord record, string message)
    {
        record.ErrorDetails = new ErrorDetails(message);
        return record;
    }

    public static ErrorRecord MissingKey(ProviderInfo info) =>
        new(new System.InvalidOperationException(Strings.NoKey(info.Name, info.KeyVariables)), "ApiKeyNotFound", ErrorCategory.AuthenticationError, info.Name);

    public static ErrorRecord NoKeys(IEnumerable<string> variables) =>
        new(new System.InvalidOperationException(Strings.NoProviderHasKey(variables)), "ApiKeyNotFound", ErrorCategory.AuthenticationError, null);
}
