using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace JobsModule.Commands;

/// <summary>
/// What the module's cmdlets share: a cancellation token wired to StopProcessing (Ctrl+C), the
/// request log drained on the pipeline thread, and the account a job reference is reached with.
/// </summary>
public abstract class ProviderCommandBase : PSCmdlet
{
    private readonly Dictionary<string, ProviderEndpoint> _endpoints = new(StringComparer.OrdinalIgnoreCase);
    private bool? _verboseAsDebug;

    private protected CancellationTokenSource Cancellation { get; } = new();

    private protected ListingLog Log { get; } = new();

    // PowerShell turns -Debug alone into VerbosePreference Inquire, a prompt per verbose line;
    // debug output is a superset of verbose, so the lines go there instead.
    private bool VerboseAsDebug =>
        _verboseAsDebug ??= MyInvocation.BoundParameters.ContainsKey("Debug") && !MyInvocation.BoundParameters.ContainsKey("Verbose");

    protected override void StopProcessing() => Cancellation.Cancel();

    /// <summary>Writes what the requests logged so far; only on the pipeline thread.</summary>
    private protected void Drain()
    {
        while (!Log.IsEmpty && Log.TryTake(out var message))
        {
            switch (message.Kind)
            {
                case ListingMessageKind.Warning:
                    WriteWarning(message.Text);
                    break;
                case ListingMessageKind.Debug:
                case ListingMessageKind.Verbose when VerboseAsDebug:
                    WriteDebug(message.Text);
                    break;
                default:
                    WriteVerbose(message.Text);
                    break;
            }
        }
    }

    /// <summary>Waits for a request on the pipeline thread, writing its log lines as they come.</summary>
    private protected T Await<T>(Task<T> task)
    {
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(200))
        {
            Drain();
        }

        Drain();
        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// The endpoint for a job of <paramref name="provider"/> on <paramref name="account"/> (the
    /// default account when null), in the usual lookup order; null after writing why not.
    /// </summary>
    private protected ProviderEndpoint? EndpointFor(string provider, string? account)
    {
        var cacheKey = provider + "\u0000" + account;
        if (_endpoints.TryGetValue(cacheKey, out var known))
        {
            return known;
        }

        try
        {
            var selection = new EndpointResolver().Resolve(new[] { provider }, account is null ? null : new[] { account }, new JobQuery(), null, null);
            selection.Errors.ForEach(WriteError);
            if (selection.Endpoints.Count == 0)
            {
                return null;
            }

            return _endpoints[cacheKey] = selection.Endpoints[0];
        }
        catch (SelectionException ex)
        {
            WriteError(ex.Record);
            return null;
        }
    }

    /// <summary>A job's provider error as an error record; 404 says which job was not found.</summary>
    private protected static ErrorRecord JobError(ProviderRequestException exception, string id, string? account) =>
        exception.Kind == ProviderErrorKind.NotFound ? ErrorRecords.JobNotFound(exception, id) : ErrorRecords.From(exception, account);
}
