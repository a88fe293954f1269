using System.Security;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Listing;

namespace JobsModule.Commands;

/// <summary>
/// Get-ProviderJob: lists jobs from every provider that has a key (or the accounts named), one
/// object per job, page by page; several accounts are listed at once and merged newest first.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ProviderJob", SupportsPaging = true, DefaultParameterSetName = ListSet)]
[OutputType(typeof(ProviderJob))]
public sealed class GetProviderJobCommand : RequestCommandBase
{
    private const string ListSet = "List";
    private const string ByIdSet = "ById";
    private readonly List<ProviderAccount> _pipedAccounts = new();
    private bool _accountOnCommandLine;

    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ValidateNotNullOrEmpty]
    [ValidateProviderName]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string[]? Provider { get; set; }

    /// <summary>One or more job ids of one provider: the job as the single-job endpoint describes it.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ValidateWildcardPattern]
    [ArgumentCompleter(typeof(AccountNameCompleter))]
    public string[]? Account { get; set; }

    /// <summary>Accounts from Get-ProviderAccount; they are listed together, merged, once all have arrived.</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = ListSet)]
    [ValidateNotNull]
    public ProviderAccount[]? InputObject { get; set; }

    /// <summary>Status names (JobStatus), as text: a name the module does not know is InvalidStatus, listing the valid ones.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(JobStatusCompleter))]
    public string[]? Status { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    [ValidateNotBlank]
    [ArgumentCompleter(typeof(JobKindCompleter))]
    public string[]? Kind { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotBlank]
    public string? WorkflowId { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotBlank]
    public string? InputUri { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [TimeArgument]
    public DateTimeOffset CreatedAfter { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [TimeArgument]
    public DateTimeOffset CreatedBefore { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int PageSize { get; set; }

    [Parameter]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 5;

    /// <summary>For each finished job whose listing is silent, one read of what the provider's detail endpoints add (Outcome, Error, FailedItems).</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void BeginProcessing() =>
        _accountOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Account));

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByIdSet)
        {
            GetById();
            return;
        }

        if (InputObject is not null)
        {
            _pipedAccounts.AddRange(InputObject);
            return;
        }

        List(Provider, Account, null);
    }

    protected override void EndProcessing()
    {
        if (_pipedAccounts.Count > 0)
        {
            List(null, null, _pipedAccounts);
        }
    }

    /// <summary>
    /// Each id from the single-job endpoint. Without -Account every account of the provider is
    /// asked in turn, so an id is found whichever account it belongs to; a missing id is an error
    /// and the other ids go on.
    /// </summary>
    private void GetById()
    {
        if (Provider!.Length != 1)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument("OneProviderForId", "-Id takes the ids of one provider: name exactly one with -Provider.", Provider));
        }

        // A job piped in brings its Account; a key given on the command line overrides it.
        var accounts = ApiKey is not null && !_accountOnCommandLine ? null : Account;
        CheckKeyParameters(Provider, accounts, ApiKey, BaseUri);

        // -Skip and -First count the ids, in the order given; -First 0 asks for nothing.
        var ids = Id!.Skip((int)Math.Min(PagingParameters.Skip, int.MaxValue)).Take((int)Math.Min(PagingParameters.First, int.MaxValue));
        StopOn(Engine.Get(new AccountRequest { Providers = Provider, AccountPatterns = accounts, ApiKey = ApiKey, BaseUri = BaseUri }, ids, Detailed));
    }

    private void List(IReadOnlyCollection<string>? providers, IReadOnlyCollection<string>? accounts, IReadOnlyList<ProviderAccount>? givenAccounts)
    {
        var query = BuildQuery();
        if (givenAccounts is null)
        {
            CheckKeyParameters(providers, accounts, ApiKey, BaseUri);
        }

        var request = givenAccounts is null
            ? new AccountRequest { Providers = providers, AccountPatterns = accounts, Query = query, ApiKey = ApiKey, BaseUri = BaseUri }
            : new AccountRequest { Accounts = givenAccounts, Query = query, BaseUri = BaseUri };
        StopOn(Engine.List(request, PagingParameters.Skip, PagingParameters.First, PagingParameters.IncludeTotalCount, ThrottleLimit, Detailed, out var total));
        if (total is { } count)
        {
            WriteObject(PagingParameters.NewTotalCount(count.Count, count.Accuracy));
        }
    }

    /// <summary>The date as UTC, when a provider can represent it; else the call stops with DateOutOfRange.</summary>
    private DateTime CheckedDate(DateTimeOffset value, string parameter)
    {
        var utc = value.UtcDateTime;
        if (utc < JobQuery.EarliestDate || utc > JobQuery.LatestDate)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument("DateOutOfRange", Strings.DateOutOfRange(parameter, utc, JobQuery.EarliestDate, JobQuery.LatestDate), value));
        }

        return utc;
    }

    /// <summary>The status a -Status name stands for (any case); else the call stops with InvalidStatus, naming the valid ones.</summary>
    private JobStatus CheckedStatus(string name)
    {
        var names = Enum.GetNames(typeof(JobStatus));
        var known = names.FirstOrDefault(candidate => string.Equals(candidate, name.Trim(), StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument("InvalidStatus", Strings.UnknownStatus(name, names), name));
        }

        return (JobStatus)Enum.Parse(typeof(JobStatus), known!);
    }

    private protected override IEnumerable<SecureString?> KeysGiven() => new[] { ApiKey };

    private JobQuery BuildQuery()
    {
        DateTime? after = MyInvocation.BoundParameters.ContainsKey(nameof(CreatedAfter)) ? CheckedDate(CreatedAfter, nameof(CreatedAfter)) : null;
        DateTime? before = MyInvocation.BoundParameters.ContainsKey(nameof(CreatedBefore)) ? CheckedDate(CreatedBefore, nameof(CreatedBefore)) : null;
        if (after is not null && before is not null && after >= before)
        {
            ThrowTerminatingError(ErrorRecords.InvalidArgument(
                "CreatedRangeEmpty", $"-CreatedAfter ({after:u}) must be earlier than -CreatedBefore ({before:u}).", CreatedAfter));
        }

        return new JobQuery
        {
            Statuses = Status is null ? Array.Empty<JobStatus>() : Status.Select(CheckedStatus).ToArray(),
            Kinds = Kind ?? Array.Empty<string>(),
            WorkflowId = WorkflowId,
            InputUri = InputUri,
            CreatedAfter = after,
            CreatedBefore = before,
            PageSize = MyInvocation.BoundParameters.ContainsKey(nameof(PageSize)) ? PageSize : null,
        };
    }
}
