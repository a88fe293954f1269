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

    /// <summary>-ApiKey and -BaseUri belong to the providers named, and -ApiKey to exactly one of them, without -Account; else the call stops.</summary>
    private protected void CheckKeyParameters(IReadOnlyCollection<string>? providers, IReadOnlyCollection<string>? accounts, System.Security.SecureString? apiKey, Uri? baseUri)
    {
        if (providers is null && (apiKey is not null || baseUri is not null))
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument("ProviderRequired", "-ApiKey and -BaseUri apply to the providers named with -Provider; name them.", null));
        }

        if (apiKey is not null && accounts is not null)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument("ApiKeyWithAccount", "-ApiKey and -Account are two ways to give a key: use one of them.", null));
        }

        if (apiKey is not null && providers!.Count != 1)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument("ApiKeyNeedsOneProvider", "-ApiKey is one provider's key: name exactly one provider with -Provider, or use Connect-ProviderAccount for several.", null));
        }
    }
}
