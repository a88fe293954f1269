using System.Security;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Listing;
using Microsoft.PowerShell.Commands;

namespace JobsModule.Commands;

/// <summary>
/// Watch-ProviderJob: writes what changes among the jobs of the accounts selected (a new job, a job in a
/// new status, a finished job whose outcome -Detailed could read only later), each change once. With
/// -StatePath and -Once, one pass from the state a previous run left (a scheduled runbook); without
/// -Once, a pass every -PollingIntervalSec until stopped, -Timeout or -Count. The watching is the engine's (<see cref="JobsEngine.Watch"/>).
/// </summary>
[Cmdlet("Watch", "ProviderJob")]
[OutputType(typeof(JobChange))]
public sealed class WatchProviderJobCommand : RequestCommandBase
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateProviderName]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Provider { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ValidateWildcardPattern]
    [ArgumentCompleter(typeof(AccountNameCompleter))]
    public string[]? Account { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateNotBlank]
    [ArgumentCompleter(typeof(JobKindCompleter))]
    public string[]? Kind { get; set; }

    [Parameter]
    [ValidateNotBlank]
    public string? WorkflowId { get; set; }

    [Parameter]
    [ValidateNotBlank]
    public string? InputUri { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int PageSize { get; set; }

    [Parameter]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    /// <summary>The file that keeps what the watch knows between runs; held by this run alone.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>One pass, then the end: a scheduled runbook's whole loop.</summary>
    [Parameter]
    public SwitchParameter Once { get; set; }

    /// <summary>Where the watch has no state yet, every job it lists is written as New instead of taking a silent baseline.</summary>
    [Parameter]
    public SwitchParameter IncludeExisting { get; set; }

    /// <summary>Seconds from one pass to the next; default: the shortest polling interval of the providers watched.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int PollingIntervalSec { get; set; }

    /// <summary>Seconds the watch may run; -1 (the default) runs until stopped.</summary>
    [Parameter]
    [ValidateRange(-1, int.MaxValue)]
    public int Timeout { get; set; } = -1;

    /// <summary>The watch ends once this many changes have been written.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 5;

    /// <summary>Read each finished job's details before its change is written, as Get-ProviderJob -Detailed does.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void EndProcessing()
    {
        CheckKeyParameters(Provider, Account, ApiKey, BaseUri);
        var request = new AccountRequest
        {
            Providers = Provider,
            AccountPatterns = Account,
            ApiKey = ApiKey,
            BaseUri = BaseUri,
            Query = new JobQuery
            {
                Kinds = Kind ?? Array.Empty<string>(),
                WorkflowId = WorkflowId,
                InputUri = InputUri,
                PageSize = MyInvocation.BoundParameters.ContainsKey(nameof(PageSize)) ? PageSize : null,
            },
        };
        StopOn(Engine.Watch(
            request,
            StatePath is null ? null : StateFile(StatePath),
            Once,
            IncludeExisting,
            PollingIntervalSec > 0 ? TimeSpan.FromSeconds(PollingIntervalSec) : null,
            Timeout < 0 ? null : TimeSpan.FromSeconds(Timeout),
            Count > 0 ? Count : null,
            ThrottleLimit,
            Detailed));
    }

    private protected override IEnumerable<SecureString?> KeysGiven() => new[] { ApiKey };

    /// <summary>The file system path of -StatePath (relative to the current location, which .NET does not know); else the call stops.</summary>
    private string StateFile(string path)
    {
        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument("StatePathNotFile", $"-StatePath must be a file system path; '{path}' is on the {provider.Name} provider.", path));
        }

        return resolved;
    }
}
