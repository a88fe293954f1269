namespace JobsModule.Transport;

/// <summary>How hard to try: retries as Invoke-RestMethod counts them, and a timeout per request.</summary>
internal sealed record RequestPolicy
{
    public static readonly RequestPolicy Default = new();

    /// <summary>The most retries -MaximumRetryCount allows: more would only hide an outage.</summary>
    public const int MaxRetryCount = 100;

    /// <summary>The longest first backoff -RetryIntervalSec allows (an hour).</summary>
    public const int MaxRetryIntervalSeconds = 3600;

    /// <summary>The longest per-request timeout -TimeoutSec allows (a day): longer is no timeout at all.</summary>
    public const int MaxTimeoutSeconds = 86400;

    /// <summary>Retries after the first attempt, for 408, 429, 5xx and network failures.</summary>
    public int MaximumRetryCount { get; init; } = 4;

    /// <summary>The first backoff delay when the provider does not say how long to wait; it doubles per retry.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the user chose <see cref="RetryInterval"/> (-RetryIntervalSec). If not, a provider that
    /// documents a longer backoff after a bare 429 (Krea: 10-30 s) gets that backoff instead.
    /// </summary>
    public bool RetryIntervalGiven { get; init; }

    /// <summary>The longest single wait, whatever a provider asks for.</summary>
    public TimeSpan MaximumRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>The same policy for a request that must not be sent twice (a cancel, a delete).</summary>
    public RequestPolicy NeverRetried() => this with { MaximumRetryCount = 0 };
}
