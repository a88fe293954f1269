using JobsModule.Accounts;

namespace JobsModule.Operations;

/// <summary>
/// Where one job was looked for: the account that has it and the job, or, when no account has it,
/// the failure that says best why (with the account it came from).
/// </summary>
internal sealed record JobLookup(ProviderEndpoint Endpoint, ProviderJob? Job, ProviderRequestException? Failure);
