using JobsModule.Accounts;

namespace JobsModule.Transport;

/// <summary>
/// One request to a provider, as the transport sends it (retried, paced and logged as its call says):
/// where it goes, with whose key, and how a 2xx answer is read. <see cref="JobsIn"/> says how many jobs
/// an answer carried, for the verbose line (null where it is no page).
/// </summary>
internal sealed record ProviderRequest<T>(
    ProviderEndpoint Endpoint,
    HttpMethod Method,
    Uri Uri,
    Func<HttpResponseMessage, CancellationToken, Task<T>> ReadSuccess,
    Func<T, int?> JobsIn);
