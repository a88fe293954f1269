namespace JobsModule;

/// <summary>What went wrong, in terms a script can branch on; the cmdlets map it to an error id and category.</summary>
public enum ProviderErrorKind
{
    Authentication,
    QuotaExceeded,
    RateLimited,
    InvalidRequest,
    NotFound,
    Conflict,
    ServerError,
    HttpError,
    InvalidResponse,
    Network,
    Timeout,
    PagingLoop,
    UnsafeRedirect,
}
