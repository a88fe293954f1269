namespace JobsModule.Watching;

/// <summary>
/// Everything a watch knows, by account (<see cref="KeyOf"/>): what a state file holds between runs, or
/// the watch keeps in memory without one. Accounts a run does not select are kept as they are.
/// </summary>
internal sealed class WatchState
{
    public Dictionary<string, AccountWatch> Accounts { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The name an account is known by: provider, account, base URL and the filters given, so a watch with
    /// other filters or at another address starts a baseline of its own. No key is part of it.
    /// </summary>
    public static string KeyOf(string provider, string? account, Uri baseUri, string filters) =>
        provider + "|" + (account ?? provider) + "|" + baseUri.AbsoluteUri + (filters.Length == 0 ? string.Empty : "|" + filters);
}
