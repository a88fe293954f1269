using System;
using System.Management.Automation;
using JobsModule.Engine;

namespace JobsModule.Commands;

/// <summary>
/// The parameters of the cmdlets that send requests to a provider: how often a failed read is
/// retried, how long to wait first, and how long each request may take.
/// </summary>
public abstract class RequestCommandBase : ProviderCommandBase
{
    /// <summary>How many times a failed read is retried (408, 429, 5xx, network failures); a stop or a delete is sent once, never retried.</summary>
    [Parameter]
    [ValidateRange(0, ListingOptions.MaxRetryCount)]
    public int MaximumRetryCount { get; set; } = ListingOptions.Default.MaximumRetryCount;

    /// <summary>The first wait before a retry, in seconds, where the provider does not say how long; it doubles per retry.</summary>
    [Parameter]
    [ValidateRange(1, ListingOptions.MaxRetryIntervalSeconds)]
    public int RetryIntervalSec { get; set; } = (int)ListingOptions.Default.RetryInterval.TotalSeconds;

    /// <summary>Seconds each request may take.</summary>
    [Parameter]
    [ValidateRange(1, ListingOptions.MaxTimeoutSeconds)]
    public int TimeoutSec { get; set; } = (int)ListingOptions.Default.RequestTimeout.TotalSeconds;

    /// <summary>How each request is sent, as the three parameters above say.</summary>
    private protected ListingOptions RequestOptions => ListingOptions.Default with
    {
        RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
        MaximumRetryCount = MaximumRetryCount,
        RetryInterval = TimeSpan.FromSeconds(RetryIntervalSec),
        RetryIntervalGiven = MyInvocation.BoundParameters.ContainsKey(nameof(RetryIntervalSec)),
    };
}
