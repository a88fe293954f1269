using JobsModule.Accounts;

namespace JobsModule.Operations;

/// <summary>
/// One job to wait for: its id, the accounts it may be on (the first poll finds which has it), and the
/// job as already known when it was piped in (a finished one needs no request).
/// </summary>
internal sealed record WaitTarget(IReadOnlyList<ProviderEndpoint> Endpoints, string Id, ProviderJob? Known = null)
{
    /// <summary>
    /// What two targets share when they are the same job (given twice, piped twice): the provider, the
    /// accounts it is looked for through, and the id, compared exactly.
    /// </summary>
    public static (string Provider, string Accounts, string Id) SameJob(WaitTarget target) =>
        (target.Endpoints[0].Provider.Info.Name, string.Join("\n", target.Endpoints.Select(endpoint => endpoint.Account + " " + endpoint.BaseUri.AbsoluteUri)), target.Id);
}
