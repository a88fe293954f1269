namespace JobsModule;

/// <summary>The facts about a provider that the engine and the cmdlets need.</summary>
public sealed class ProviderInfo
{
    internal ProviderInfo(string name, Uri defaultBaseUri, IReadOnlyList<string> keyVariables, string baseUriVariable, IDictionary<string, JobStatus> statusMap)
    {
        Name = name;
        DefaultBaseUri = defaultBaseUri;
        KeyVariables = keyVariables;
        BaseUriVariable = baseUriVariable;
        StatusMap = new Dictionary<string, JobStatus>(statusMap, StringComparer.OrdinalIgnoreCase);
    }

    public string Name { get; }

    public Uri DefaultBaseUri { get; }

    /// <summary>Environment variables that may hold the key, in the order they are tried.</summary>
    public IReadOnlyList<string> KeyVariables { get; }

    public string BaseUriVariable { get; }

    /// <summary>Raw provider status to normalized status; anything else is Unknown.</summary>
    public IReadOnlyDictionary<string, JobStatus> StatusMap { get; }

    /// <summary>Largest page the API serves; null when it does not page.</summary>
    public int? MaxPageSize { get; internal init; }

    /// <summary>True when the API documents newest-first order, so a CreatedAfter bound can stop paging early.</summary>
    public bool NewestFirst { get; internal init; } = true;

    public KindFilterSupport KindFilter { get; internal init; }

    /// <summary>The documented kinds, when the provider documents a closed set.</summary>
    public IReadOnlyList<string>? KnownKinds { get; internal init; }

    /// <summary>
    /// Kinds to offer for tab completion where the provider's kinds are free text (no <see cref="KnownKinds"/>):
    /// the examples its documentation gives. Never used to check a kind.
    /// </summary>
    public IReadOnlyList<string>? SuggestedKinds { get; internal init; }

    public bool FiltersByWorkflowId { get; internal init; }

    public bool FiltersByInputUri { get; internal init; }

    /// <summary>True when the API can start a listing at a created-before timestamp.</summary>
    public bool StartsAtCreatedBefore { get; internal init; }

    /// <summary>The API version the module is written against, where the provider lets clients pin one; null otherwise.</summary>
    public string? DefaultApiVersion { get; internal init; }

    /// <summary>The environment variable that overrides <see cref="DefaultApiVersion"/>; null when the provider has no versions.</summary>
    public string? ApiVersionVariable { get; internal init; }

    /// <summary>How often Wait-ProviderJob polls one job by default.</summary>
    public TimeSpan PollingInterval { get; internal init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The first backoff after a 429 that does not say how long to wait, where the provider's docs
    /// ask for one; later retries double it, up to three times this.
    /// </summary>
    public TimeSpan? RateLimitBackoff { get; internal init; }

    /// <summary>The documented request budget, where there is one; polling many jobs stays under it.</summary>
    public int? RequestsPerMinute { get; internal init; }

    public JobStatus MapStatus(string? raw) =>
        raw is not null && StatusMap.TryGetValue(raw, out var status) ? status : JobStatus.Unknown;
}
