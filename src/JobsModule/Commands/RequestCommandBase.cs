using JobsModule.Transport;

namespace JobsModule.Commands;

/// <summary>
/// The parameters of the cmdlets that send requests to a provider: how often a failed read is
/// retried, how long to wait first, and how long each request may take.
/// </summary>
public abstract class RequestCommandBase : ProviderCommandBase
{
    /// <summary>How many times a failed read is retried (408, 429, 5xx, network failures); a stop or a delete is sent once, never retried.</summary>
    [Parameter]
    [ValidateRange(0, RequestPolicy.MaxRetryCount)]
    public int MaximumRetryCount { get; set; } = RequestPolicy.Default.MaximumRetryCount;

    /// <summary>The first wait before a retry, in seconds, where the provider does not say how long; it doubles per retry.</summary>
    [Parameter]
    [ValidateRange(1, RequestPolicy.MaxRetryIntervalSeconds)]
    public int RetryIntervalSec { get; set; } = (int)RequestPolicy.Default.RetryInterval.TotalSeconds;

    /// <summary>Seconds each request may take.</summary>
    [Parameter]
    [ValidateRange(1, RequestPolicy.MaxTimeoutSeconds)]
    public int TimeoutSec { get; set; } = (int)RequestPolicy.Default.RequestTimeout.TotalSeconds;

    /// <summary>How each request is sent, as the three parameters above say.</summary>
    private protected override RequestPolicy Policy => RequestPolicy.Default with
    {
        RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
        MaximumRetryCount = MaximumRetryCount,
        RetryInterval = TimeSpan.FromSeconds(RetryIntervalSec),
        RetryIntervalGiven = MyInvocation.BoundParameters.ContainsKey(nameof(RetryIntervalSec)),
    };
}
