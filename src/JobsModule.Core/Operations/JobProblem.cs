using JobsModule.Accounts;

namespace JobsModule.Operations;

/// <summary>Why one job was left out of a wait, a stop or a delete; the cmdlet turns it into an error record.</summary>
internal sealed record JobProblem(JobProblemKind Kind, string Provider, string Id)
{
    public ProviderRequestException? Failure { get; init; }

    /// <summary>The account the failed request was sent with.</summary>
    public string? Account { get; init; }

    public StopRefusal? Refusal { get; init; }

    public static JobProblem RequestFailed(ProviderRequestException failure, ProviderEndpoint endpoint, string id) =>
        new(JobProblemKind.RequestFailed, endpoint.Provider.Info.Name, id) { Failure = failure, Account = endpoint.Account };

    /// <summary>The problem of a job no account was found to have.</summary>
    public static JobProblem NotFound(JobLookup lookup, string id) => RequestFailed(lookup.Failure!, lookup.Endpoint, id);
}
