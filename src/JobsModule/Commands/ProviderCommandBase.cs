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
    private readonly Dictionary<string, IReadOnlyList<ProviderEndpoint>> _endpoints = new(StringComparer.OrdinalIgnoreCase);
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
                case ListingMessageKind.Error:
                    WriteError(ErrorRecords.From(message.Error!, message.Account));
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

        try
        {
            var selection = new EndpointResolver().Resolve(new[] { provider }, account is null ? null : new[] { account }, new JobQuery(), null, null);
            selection.Errors.ForEach(WriteError);
            return _endpoints[cacheKey] = selection.Endpoints;
        }
        catch (SelectionException ex)
        {
            WriteError(ex.Record);
            return _endpoints[cacheKey] = Array.Empty<ProviderEndpoint>();
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> about job <paramref name="id"/> through each endpoint in turn
    /// until one succeeds, so a job is found whichever account it belongs to. When none succeeds, the
    /// first failure other than "not found" (a rejected key, say) explains best, else JobNotFound;
    /// that error is written and the result is null.
    /// </summary>
    private protected (ProviderEndpoint Endpoint, T Value)? FirstAccountWithJob<T>(IReadOnlyList<ProviderEndpoint> endpoints, string id, Func<ProviderEndpoint, Task<T>> request)
    {
        (ProviderRequestException Error, string? Account)? failure = null;
        foreach (var endpoint in endpoints)
        {
            try
            {
                return (endpoint, Await(request(endpoint)));
            }
            catch (ProviderRequestException ex)
            {
                if (failure is null || (failure.Value.Error.Kind == ProviderErrorKind.NotFound && ex.Kind != ProviderErrorKind.NotFound))
                {
                    failure = (ex, endpoint.Account);
                }
            }
        }

        if (failure is { } problem)
        {
            WriteError(JobError(problem.Error, id, problem.Account));
        }

        return null;
    }

    /// <summary>
    /// A job's provider error as an error record whose target is the job's id: 404 says which job
    /// was not found, anything else (a refused cancel, say) keeps its own id and category.
    /// </summary>
    private protected static ErrorRecord JobError(ProviderRequestException exception, string id, string? account) =>
        exception.Kind == ProviderErrorKind.NotFound ? ErrorRecords.JobNotFound(exception, id) : ErrorRecords.From(exception, account, id);
}
