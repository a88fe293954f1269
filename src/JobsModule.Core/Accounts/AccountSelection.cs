using JobsModule.Engine;

namespace JobsModule.Accounts;

/// <summary>The endpoints a call will use, what went wrong choosing them, and why providers were left out.</summary>
internal sealed class AccountSelection
{
    public List<ProviderEndpoint> Endpoints { get; } = new();

    /// <summary>Problems in the order met; one that <see cref="Problem.StopsCall"/> comes alone, with no endpoints.</summary>
    public List<Problem> Problems { get; } = new();

    /// <summary>Why providers that were not named were left out (for -Verbose).</summary>
    public List<string> Notes { get; } = new();

    /// <summary>The problem that ends the call before anything is sent, if there is one.</summary>
    public Problem? Stop => Problems.FirstOrDefault(problem => problem.StopsCall);

    public static AccountSelection Stopped(Problem problem)
    {
        var selection = new AccountSelection();
        selection.Problems.Add(problem with { StopsCall = true });
        return selection;
    }

    /// <summary>Adds the endpoint unless the same account of the same provider is there already (two patterns may match it).</summary>
    public void AddOnce(ProviderEndpoint endpoint)
    {
        if (!Endpoints.Any(existing => existing.Provider.Info.Name == endpoint.Provider.Info.Name && existing.Account == endpoint.Account))
        {
            Endpoints.Add(endpoint);
        }
    }
}
