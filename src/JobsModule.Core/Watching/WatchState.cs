using JobsModule.Accounts;

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
    /// other filters or at another address starts a baseline of its own. The state file is not a secret,
    /// so nothing secret goes into it: a key the module knows is taken out of the base URL, and the
    /// filters (an input URL may carry a signature) are kept as a SHA-256 digest, which tells them apart
    /// and says nothing of them.
    /// </summary>
    public static string KeyOf(string provider, string? account, Uri baseUri, string filters, Redactor secrets) =>
        provider + "|" + (account ?? provider) + "|" + secrets.Redact(baseUri.AbsoluteUri) + (filters.Length == 0 ? string.Empty : "|filters:" + Digest(filters));

    private static string Digest(string text)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        return BitConverter.ToString(sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text))).Replace("-", string.Empty).ToLowerInvariant();
    }
}
