using System.Net;
using JobsModule.Accounts;

namespace JobsModule;

/// <summary>A provider request that failed. Carries what a script needs and never the key.</summary>
public class ProviderRequestException : Exception
{
    public ProviderRequestException(string provider, ProviderErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Provider = provider;
        Kind = kind;
    }

    public string Provider { get; }

    public ProviderErrorKind Kind { get; }

    /// <summary>The HTTP status, when the provider answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The provider's own words from the error body.</summary>
    public string? ProviderMessage { get; init; }

    public string? RequestId { get; init; }

    /// <summary>The provider's machine-readable error code from the error body, where it sends one.</summary>
    public string? ProviderErrorCode { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The URL asked for (keys are sent in headers, never in URLs).</summary>
    public Uri? RequestUri { get; init; }

    public string? ContentType { get; init; }

    /// <summary>
    /// True when the deadline of the wait the request was made for ended it (see <see cref="Deadline"/>):
    /// its attempt was cut to the time left, or its retry would have come after the deadline.
    /// </summary>
    internal bool DeadlineReached { get; init; }

    /// <summary>
    /// This error with every known key taken out of the text that came from the server (the message, the
    /// provider's message, code and request id, the URL); itself when there was none.
    /// </summary>
    internal ProviderRequestException Redact(Redactor redactor)
    {
        var message = redactor.Redact(Message);
        var providerMessage = redactor.RedactOrNull(ProviderMessage);
        var code = redactor.RedactOrNull(ProviderErrorCode);
        var requestId = redactor.RedactOrNull(RequestId);
        var uri = RequestUri is { } requested && redactor.Redact(requested.OriginalString) is var shown && shown != requested.OriginalString
            ? new Uri(shown, UriKind.RelativeOrAbsolute)
            : RequestUri;
        if (message == Message && providerMessage == ProviderMessage && code == ProviderErrorCode && requestId == RequestId && uri == RequestUri)
        {
            return this;
        }

        return Copy(message, providerMessage, code, requestId, uri, DeadlineReached);
    }

    /// <summary>This error in other words (the provider's own stay in <see cref="ProviderMessage"/>); marked as ended by the deadline when <paramref name="deadlineReached"/>.</summary>
    internal ProviderRequestException WithMessage(string message, bool deadlineReached = false) =>
        Copy(message, ProviderMessage, ProviderErrorCode, RequestId, RequestUri, DeadlineReached || deadlineReached);

    // An exception is thrown once, so a changed one is a copy: everything the answer said, with these parts replaced.
    private ProviderRequestException Copy(string message, string? providerMessage, string? code, string? requestId, Uri? uri, bool deadlineReached) =>
        new(Provider, Kind, message, InnerException)
        {
            StatusCode = StatusCode,
            ProviderMessage = providerMessage,
            ProviderErrorCode = code,
            RequestId = requestId,
            RetryAfter = RetryAfter,
            RequestUri = uri,
            ContentType = ContentType,
            DeadlineReached = deadlineReached,
        };

    internal static ProviderErrorKind KindOf(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => ProviderErrorKind.Authentication,
        402 => ProviderErrorKind.QuotaExceeded,
        429 => ProviderErrorKind.RateLimited,
        400 or 422 => ProviderErrorKind.InvalidRequest,
        404 => ProviderErrorKind.NotFound,
        409 => ProviderErrorKind.Conflict,
        408 => ProviderErrorKind.Timeout,
        >= 500 => ProviderErrorKind.ServerError,
        _ => ProviderErrorKind.HttpError,
    };
}
