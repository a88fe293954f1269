namespace JobsModule;

/// <summary>How a provider's API can filter by kind, if at all.</summary>
public enum KindFilterSupport
{
    /// <summary>The provider's jobs have no kind.</summary>
    None,

    /// <summary>Jobs carry a kind, but the API cannot filter by it: the module filters.</summary>
    Client,

    /// <summary>The API filters by one kind at a time.</summary>
    ServerSingle,

    /// <summary>The API filters by a list of kinds.</summary>
    ServerList,
}
