using JobsModule.Accounts;
using JobsModule.Listing;
using JobsModule.Operations;
using JobsModule.Providers;

namespace JobsModule.Engine;

/// <summary>
/// Why something asked of the engine was not done: a provider or account that cannot be used, found
/// before anything is sent, or one job that could not be read, stopped or deleted. The cmdlets make one
/// error record of each (its id and category follow <see cref="Kind"/>); one that
/// <see cref="StopsCall"/> ends the call, the others leave the rest going.
/// </summary>
internal sealed record Problem(ProblemKind Kind, string Message)
{
    /// <summary>True when the call must end before anything is sent; false when only this provider, account or job is left out.</summary>
    public bool StopsCall { get; init; }

    /// <summary>The provider concerned, when there is one.</summary>
    public string? Provider { get; init; }

    /// <summary>The account a failed request was sent with.</summary>
    public string? Account { get; init; }

    /// <summary>The job the problem is about, when it is about one: the error's target.</summary>
    public string? JobId { get; init; }

    /// <summary>What was given that is wrong, where it is not a job: a provider or account name, a -BaseUri as shown.</summary>
    public string? Target { get; init; }

    /// <summary>The parameter a query problem is about (PageSize, Kind, WorkflowId, InputUri).</summary>
    public string? Parameter { get; init; }

    /// <summary>The request that failed, with the provider's own words (<see cref="ProblemKind.RequestFailed"/>).</summary>
    public ProviderRequestException? Failure { get; init; }

    /// <summary>The setting that cannot be used (<see cref="ProblemKind.Setting"/>).</summary>
    public InvalidSettingException? Setting { get; init; }

    public static Problem UnknownProvider(string name) =>
        new(ProblemKind.UnknownProvider, Strings.UnknownProvider(name, ProviderRegistry.Names)) { Target = name, StopsCall = true };

    /// <summary>A query the provider cannot answer; it ends the call (a provider left to the default is left out instead, with a note).</summary>
    public static Problem From(QueryProblem problem, string provider) =>
        new(problem.Kind switch
        {
            QueryProblemKind.PageSizeOutOfRange => ProblemKind.PageSizeOutOfRange,
            QueryProblemKind.InvalidKind => ProblemKind.InvalidKind,
            _ => ProblemKind.FilterNotSupported,
        }, problem.Message)
        { Parameter = problem.Parameter, Provider = provider, StopsCall = true };

    /// <summary>A setting that cannot be used: a bad -BaseUri is named by its value (as errors show it), anything else by where it came from.</summary>
    public static Problem From(InvalidSettingException exception, System.Uri? baseUri) =>
        new(ProblemKind.Setting, exception.Message)
        {
            Setting = exception,
            Target = exception.Problem is SettingProblem.BaseUri or SettingProblem.InsecureBaseUri && exception.Setting == "-BaseUri" && baseUri is not null ? ProviderEndpoint.Shown(baseUri.OriginalString) : null,
            StopsCall = true,
        };

    /// <summary>An account whose environment variable cannot be used: this provider is left out, the call goes on with the others.</summary>
    public static Problem From(InvalidSettingException exception, ProviderAccount account) =>
        new(ProblemKind.Setting, exception.Message) { Setting = exception, Provider = account.Provider };

    public static Problem MissingKey(ProviderInfo info) =>
        new(ProblemKind.MissingKey, Strings.NoKey(info.Name, info.KeyVariables)) { Provider = info.Name };

    public static Problem NoKeys(IEnumerable<IJobProvider> providers) =>
        new(ProblemKind.NoKeys, Strings.NoProviderHasKey(providers.SelectMany(provider => provider.Info.KeyVariables))) { StopsCall = true };

    public static Problem AccountNotFound(string name) =>
        new(ProblemKind.AccountNotFound, Strings.AccountNotFound(name)) { Target = name };

    /// <summary>A listing of one account that failed; the others go on.</summary>
    public static Problem ListingFailed(ProviderRequestException failure, string? account) =>
        new(ProblemKind.RequestFailed, failure.Message) { Failure = failure, Provider = failure.Provider, Account = account };

    /// <summary>A request about one job that failed (404: the provider has no such job).</summary>
    public static Problem RequestFailed(ProviderRequestException failure, ProviderEndpoint endpoint, string id) =>
        new(ProblemKind.RequestFailed, failure.Message) { Failure = failure, Provider = endpoint.Provider.Info.Name, Account = endpoint.Account, JobId = id };

    /// <summary>The problem of a job no account was found to have.</summary>
    public static Problem NotFound(JobLookup lookup, string id) => RequestFailed(lookup.Failure!, lookup.Endpoint, id);

    public static Problem CancelNotSupported(string provider, string id) =>
        new(ProblemKind.CancelNotSupported, Strings.CannotCancel(provider, id)) { Provider = provider, JobId = id };

    public static Problem DeleteNotSupported(string provider, string id) =>
        new(ProblemKind.DeleteNotSupported, Strings.CannotDelete(provider, id)) { Provider = provider, JobId = id };

    public static Problem InvalidJobId(string? id, string message) =>
        new(ProblemKind.InvalidJobId, message) { JobId = id };
}
