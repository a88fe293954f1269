using JobsModule.Engine;

namespace JobsModule.Commands;

/// <summary>
/// The parameters of the cmdlets that act on jobs already listed: the job objects from the
/// pipeline, or a provider and ids (with the account to reach them through).
/// </summary>
public abstract class JobReferenceCommandBase : RequestCommandBase
{
    private protected const string JobSet = "Job";
    private protected const string IdSet = "Id";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = JobSet)]
    [ValidateNotNull]
    public ProviderJob[] InputObject { get; set; } = Array.Empty<ProviderJob>();

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ValidateProviderName]
    [ArgumentCompleter(typeof(ProviderNameCompleter))]
    public string? Provider { get; set; }

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = Array.Empty<string>();

    /// <summary>The account to reach the jobs through (wildcards allowed); default: each account of the provider in turn.</summary>
    [Parameter(ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    [ValidateWildcardPattern]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AccountNameCompleter))]
    public string? Account { get; set; }

    /// <summary>The jobs this record names: each with its provider, id, account and, when piped, the job itself.</summary>
    private protected IEnumerable<JobReference> References() =>
        ParameterSetName == IdSet
            ? Id.Select(id => new JobReference(Provider!, id, Account, null))
            : InputObject.Select(job => new JobReference(job.Provider, job.Id, job.Account, job));
}
