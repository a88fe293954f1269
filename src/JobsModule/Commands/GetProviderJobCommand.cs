using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;

namespace JobsModule.Commands;

/// <summary>Get-ProviderJob: lists jobs from every provider that has a key, one object per job, page by page.</summary>
[Cmdlet(VerbsCommon.Get, "ProviderJob", SupportsPaging = true)]
[OutputType(typeof(ProviderJob))]
public sealed class GetProviderJobCommand : PSCmdlet
{
    private readonly CancellationTokenSource _cancellation = new();
    private bool? _verboseAsDebug;

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ValidateProviderName]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Provider { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public JobStatus[]? Status { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobKindCompleter))]
    public string[]? Kind { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkflowId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? InputUri { get; set; }

    [Parameter]
    public DateTime CreatedAfter { get; set; }

    [Parameter]
    public DateTime CreatedBefore { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int PageSize { get; set; }

    [Parameter]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int MaximumRetryCount { get; set; } = ListingOptions.Default.MaximumRetryCount;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int RetryIntervalSec { get; set; } = (int)ListingOptions.Default.RetryInterval.TotalSeconds;

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int TimeoutSec { get; set; } = (int)ListingOptions.Default.RequestTimeout.TotalSeconds;

    protected override void ProcessRecord()
    {
        var query = BuildQuery();
        var endpoints = ResolveEndpoints(query);
        var options = new ListingOptions
        {
            MaximumRetryCount = MaximumRetryCount,
            RetryInterval = TimeSpan.FromSeconds(RetryIntervalSec),
            RequestTimeout = TimeSpan.FromSeconds(TimeoutSec),
        };

        var log = new ListingLog();
        var lister = new JobLister();
        var progress = new ListingProgress(this, endpoints.Count);
        var skip = PagingParameters.Skip;
        var first = PagingParameters.First;
        ulong written = 0;
        ulong total = 0;
        var totalKnown = true;
        try
        {
            foreach (var endpoint in endpoints)
            {
                if (written >= first)
                {
                    break;
                }

                progress.StartProvider(endpoint.Provider.Info.Name);
                var result = new ListingResult();
                result.Heartbeat = () =>
                {
                    Drain(log);
                    progress.Tick(result);
                };
                var limit = Saturate(first - written, skip);
                try
                {
                    foreach (var job in lister.List(endpoint, WithLimit(query, limit), options, log, result, _cancellation.Token))
                    {
                        Drain(log);
                        progress.Tick(result);
                        if (skip > 0)
                        {
                            skip--;
                            continue;
                        }

                        WriteObject(JobView.Wrap(job));
                        if (++written >= first)
                        {
                            break;
                        }
                    }
                }
                catch (ProviderRequestException ex)
                {
                    Drain(log);
                    WriteError(ErrorRecords.From(ex));
                }
                catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
                {
                    return;
                }

                Drain(log);
                totalKnown &= result.Total is not null;
                total += (ulong)(result.Total ?? 0);
            }
        }
        finally
        {
            progress.Complete();
        }

        if (PagingParameters.IncludeTotalCount)
        {
            WriteObject(PagingParameters.NewTotalCount(total, totalKnown ? 1.0 : 0.0));
        }
    }

    protected override void StopProcessing() => _cancellation.Cancel();

    protected override void EndProcessing() => _cancellation.Dispose();

    private static long Saturate(ulong first, ulong skip)
    {
        var sum = first + skip;
        return sum < first || sum > long.MaxValue ? long.MaxValue : (long)sum;
    }

    private static JobQuery WithLimit(JobQuery query, long limit) => new()
    {
        Statuses = query.Statuses,
        Kinds = query.Kinds,
        WorkflowId = query.WorkflowId,
        InputUri = query.InputUri,
        CreatedAfter = query.CreatedAfter,
        CreatedBefore = query.CreatedBefore,
        PageSize = query.PageSize,
        Limit = limit,
    };

    private JobQuery BuildQuery()
    {
        DateTime? after = MyInvocation.BoundParameters.ContainsKey(nameof(CreatedAfter)) ? CreatedAfter.ToUniversalTime() : null;
        DateTime? before = MyInvocation.BoundParameters.ContainsKey(nameof(CreatedBefore)) ? CreatedBefore.ToUniversalTime() : null;
        if (after is not null && before is not null && after >= before)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(
                "CreatedRangeEmpty", $"-CreatedAfter ({after:u}) must be earlier than -CreatedBefore ({before:u}).", CreatedAfter));
        }

        return new JobQuery
        {
            Statuses = Status ?? Array.Empty<JobStatus>(),
            Kinds = Kind ?? Array.Empty<string>(),
            WorkflowId = WorkflowId,
            InputUri = InputUri,
            CreatedAfter = after,
            CreatedBefore = before,
            PageSize = MyInvocation.BoundParameters.ContainsKey(nameof(PageSize)) ? PageSize : null,
        };
    }

    /// <summary>Checks every chosen provider against the query and finds its key and URL, before anything is sent.</summary>
    private List<ProviderEndpoint> ResolveEndpoints(JobQuery query)
    {
        var named = Provider is not null;
        if (!named && (ApiKey is not null || BaseUri is not null))
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(
                "ProviderRequired", "-ApiKey and -BaseUri apply to the providers named with -Provider; name them.", null));
        }

        var providers = named
            ? Provider!.Select(name => ProviderRegistry.Find(name)!).Distinct().ToList()
            : ProviderRegistry.All.ToList();
        var candidates = new List<IJobProvider>();
        foreach (var provider in providers)
        {
            var problems = query.ProblemsWith(provider.Info);
            var blocking = problems.FirstOrDefault(problem => named || problem.Kind == QueryProblemKind.PageSizeOutOfRange);
            if (blocking.Message is not null)
            {
                ThrowTerminatingError(ErrorRecords.From(blocking, provider.Info.Name));
            }

            if (problems.Count > 0)
            {
                WriteVerbose(Strings.SkippedProvider(provider.Info.Name, problems[0].Message));
                continue;
            }

            candidates.Add(provider);
        }

        var apiKey = ApiKey is null ? null : SecureText.Reveal(ApiKey);
        var endpoints = new List<ProviderEndpoint>();
        foreach (var provider in candidates)
        {
            var info = provider.Info;
            Uri baseUri;
            try
            {
                baseUri = ProviderEndpoint.ResolveBaseUri(info, BaseUri, Environment.GetEnvironmentVariable);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorRecords.InvalidArgument("InvalidBaseUri", ex.Message, BaseUri?.OriginalString ?? ex.ParamName));
                throw;
            }

            var key = apiKey is not null ? (apiKey, "-ApiKey") : ProviderEndpoint.KeyFromEnvironment(info, Environment.GetEnvironmentVariable);
            if (key is { } found)
            {
                endpoints.Add(new ProviderEndpoint(provider, baseUri, found.Key, found.Source));
            }
            else if (named)
            {
                WriteError(ErrorRecords.MissingKey(info));
            }
            else
            {
                WriteVerbose(Strings.SkippedProvider(info.Name, Strings.NoKey(info.Name, info.KeyVariables)));
            }
        }

        if (!named && endpoints.Count == 0 && candidates.Count > 0)
        {
            ThrowTerminatingError(ErrorRecords.NoKeys(candidates.SelectMany(provider => provider.Info.KeyVariables)));
        }

        if (!named && candidates.Count == 0 && providers.Count > 0)
        {
            // Every provider was left out by a filter: say why rather than list nothing.
            var problem = query.ProblemsWith(providers[0].Info)[0];
            ThrowTerminatingError(ErrorRecords.From(problem, providers[0].Info.Name));
        }

        return endpoints;
    }

    private void Drain(ListingLog log)
    {
        while (!log.IsEmpty && log.TryTake(out var message))
        {
            switch (message.Kind)
            {
                case ListingMessageKind.Warning:
                    WriteWarning(message.Text);
                    break;
                case ListingMessageKind.Debug:
                    WriteDebug(message.Text);
                    break;
                case ListingMessageKind.Verbose when VerboseAsDebug:
                    WriteDebug(message.Text);
                    break;
                default:
                    WriteVerbose(message.Text);
                    break;
            }
        }
    }

    // PowerShell turns -Debug alone into VerbosePreference Inquire, a prompt per verbose line;
    // debug output is a superset of verbose, so the lines go there instead.
    private bool VerboseAsDebug =>
        _verboseAsDebug ??= MyInvocation.BoundParameters.ContainsKey("Debug") && !MyInvocation.BoundParameters.ContainsKey("Verbose");
}
