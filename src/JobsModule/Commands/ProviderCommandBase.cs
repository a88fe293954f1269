using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Operations;

namespace JobsModule.Commands;

/// <summary>
/// What the module's cmdlets share: a cancellation token wired to StopProcessing (Ctrl+C), the
/// request log drained on the pipeline thread, the accounts a call uses (the engine's
/// <see cref="AccountSelector"/> over this runspace's accounts), and the engine's events written as
/// they come. PowerShell disposes a cmdlet that is IDisposable once its pipeline ends, however it ends (done,
/// stopped or failed), so the token's source is released there, once.
/// </summary>
public abstract class ProviderCommandBase : PSCmdlet, IDisposable
{
    private readonly Dictionary<string, IReadOnlyList<ProviderEndpoint>> _endpoints = new(StringComparer.OrdinalIgnoreCase);
    private bool? _verboseAsDebug;
    private bool _disposed;

    private ListingLog? _log;
    private Redactor? _secrets;
    private IJobEvents? _events;

    private protected CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Where requests log, on any thread; drained on the pipeline thread. Made on first use, after binding.</summary>
    private protected ListingLog Log => _log ??= new ListingLog(Secrets);

    /// <summary>
    /// Every key this command knows: the connected accounts', the environment's and any given on the
    /// command line. Taken out of anything from a server before it is written.
    /// </summary>
    private protected Redactor Secrets => _secrets ??= KnownSecrets(KeysGiven());

    // PowerShell turns -Debug alone into VerbosePreference Inquire, a prompt per verbose line;
    // debug output is a superset of verbose, so the lines go there instead.
    private bool VerboseAsDebug =>
        _verboseAsDebug ??= MyInvocation.BoundParameters.ContainsKey("Debug") && !MyInvocation.BoundParameters.ContainsKey("Verbose");

    protected override void StopProcessing()
    {
        try
        {
            Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Stopped after the pipeline ended: nothing is left to cancel.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Keys given on the command line (-ApiKey, -Credential), besides the accounts' and the environment's.</summary>
    private protected virtual IEnumerable<SecureString?> KeysGiven() => Array.Empty<SecureString?>();

    /// <summary>A redactor of every key the module knows in this runspace: <paramref name="given"/>, the connected accounts' and the environment's.</summary>
    internal static Redactor KnownSecrets(IEnumerable<SecureString?> given) => new(KnownKeys(given));

    private static IEnumerable<string?> KnownKeys(IEnumerable<SecureString?> given)
    {
        foreach (var secure in given.Concat(AccountStore.Current.Connected.Select(account => account.Key)))
        {
            if (secure is not null)
            {
                yield return SecureKey.Reveal(secure);
            }
        }

        foreach (var variable in ProviderRegistry.All.SelectMany(provider => provider.Info.KeyVariables))
        {
            yield return System.Environment.GetEnvironmentVariable(variable)?.Trim();
        }
    }

    /// <summary>What the engine reports while it waits for or acts on jobs, written as it comes (it runs on the pipeline thread).</summary>
    private protected IJobEvents JobEvents => _events ??= new PipelineEvents(this);

    /// <summary>A provider's error as an error record, with every known key taken out of what the server said.</summary>
    private protected ErrorRecord ProviderError(ProviderRequestException exception, string? account, object? target = null) =>
        ErrorRecords.From(exception.Redact(Secrets), account, target);

    /// <summary>Writes what the requests logged so far; only on the pipeline thread.</summary>
    private protected void Drain()
    {
        while (!Log.IsEmpty && Log.TryTake(out var message))
        {
            switch (message.Kind)
            {
                case ListingMessageKind.Warning:
                    WriteWarningText(message.Text);
                    break;
                case ListingMessageKind.Error:
                    WriteError(ProviderError(message.Error!, message.Account));
                    break;
                case ListingMessageKind.Debug:
                case ListingMessageKind.Verbose when VerboseAsDebug:
                    WriteDebugText(message.Text);
                    break;
                default:
                    WriteVerboseText(message.Text);
                    break;
            }
        }
    }

    // Every warning, verbose and debug line goes out through these three: keys taken out, and anything that
    // would act on the terminal (an escape sequence, a line break, a direction override) escaped by DisplayText.
    // Error records get the same from ErrorRecords.
    private protected void WriteWarningText(string text) => WriteWarning(Shown(text));

    private protected void WriteVerboseText(string text) => WriteVerbose(Shown(text));

    // A request and its response are several lines of the module's own; what a server sent in them is
    // escaped where it is put in (Strings.Exchange), so only those line breaks are left standing.
    private protected void WriteDebugText(string text) => WriteDebug(string.Join("\n", Secrets.Redact(text).Split('\n').Select(DisplayText.Inert)));

    private string Shown(string text) => DisplayText.Inert(Secrets.Redact(text))!;

    /// <summary>Waits for a request on the pipeline thread, writing its log lines as they come.</summary>
    private protected T Await<T>(Task<T> task) => WaitPump.Await(task, Drain);

    /// <summary>
    /// The endpoints a job of <paramref name="provider"/> may be on: the accounts <paramref name="account"/>
    /// names (wildcards allowed), else every account of the provider, in the usual lookup order.
    /// Empty after writing why.
    /// </summary>
    private protected IReadOnlyList<ProviderEndpoint> EndpointsFor(string provider, string? account)
    {
        var cacheKey = provider + "\u0000" + account;
        if (_endpoints.TryGetValue(cacheKey, out var known))
        {
            return known;
        }

        var selection = SelectAccounts(new AccountRequest { Providers = new[] { provider }, AccountPatterns = account is null ? null : new[] { account } });
        foreach (var problem in selection.Problems)
        {
            WriteError(ErrorRecords.From(problem, Secrets));
        }

        return _endpoints[cacheKey] = selection.Endpoints;
    }

    /// <summary>The accounts <paramref name="request"/> asks for, from this runspace's connected accounts and the environment.</summary>
    private protected static AccountSelection SelectAccounts(AccountRequest request) =>
        new AccountSelector(AccountStore.Current.Connected, Environment.GetEnvironmentVariable, MatchesWildcard).Select(request);

    private static bool MatchesWildcard(string pattern, string name) => WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase).IsMatch(name);

    /// <summary>Writes InvalidJobId and returns false when <paramref name="id"/> cannot be sent; nothing is sent for it.</summary>
    private protected bool IsSendable(string? id)
    {
        if (JobIds.Problem(id) is not { } problem)
        {
            return true;
        }

        WriteError(ErrorRecords.InvalidJobId(id, problem));
        return false;
    }

    private sealed class PipelineEvents : IJobEvents
    {
        private readonly ProviderCommandBase _command;

        public PipelineEvents(ProviderCommandBase command)
        {
            _command = command;
        }

        public void Output(ProviderJob job) => _command.WriteObject(job);

        public void Warning(string text) => _command.WriteWarningText(text);

        public void Problem(JobProblem problem) => _command.WriteError(ErrorRecords.From(problem, _command.Secrets));

        public void Progress(int finished, int total) =>
            _command.WriteProgress(new ProgressRecord(1, _command.MyInvocation.MyCommand.Name, $"{finished} of {total} jobs finished")
            {
                PercentComplete = total == 0 ? 100 : 100 * finished / total,
            });

        public void Heartbeat() => _command.Drain();

        public bool Confirm(string target, string action) => _command.ShouldProcess(DisplayText.Inert(target), DisplayText.Inert(action));
    }
}
