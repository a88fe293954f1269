using System.Collections.Generic;

namespace JobsModule;

/// <summary>
/// One job to wait for: its id, the accounts it may be on (the first poll finds which has it), and the
/// job as already known when it was piped in (a finished one needs no request).
/// </summary>
internal sealed record WaitTarget(IReadOnlyList<ProviderEndpoint> Endpoints, string Id, ProviderJob? Known = null);
