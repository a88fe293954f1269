using JobsModule.Engine;
using JobsModule.Providers;

namespace JobsModule.Accounts;

/// <summary>
/// Where and as whom to list one provider's jobs. The key stays inside: ToString and every
/// public member leave it out, so an endpoint can be logged or shown safely.
/// </summary>
internal sealed class ProviderEndpoint
{
    // Where a URL's host part ends; .NET reads a backslash in an http URL as a slash.
    private static readonly char[] AuthorityEnds = { '/', '?', '#', '\\' };

    public ProviderEndpoint(IJobProvider provider, Uri baseUri, string apiKey, string keySource, string? account = null, string? apiVersion = null)
    {
        Provider = provider;
        BaseUri = baseUri;
        ApiKey = apiKey;
        KeySource = keySource;
        Account = account;
        ApiVersion = apiVersion;
    }

    public IJobProvider Provider { get; }

    public Uri BaseUri { get; }

    /// <summary>Where the key came from, for example "env:KREA_API_KEY"; never the key.</summary>
    public string KeySource { get; }

    public string? Account { get; }

    /// <summary>The API version asked for, where the provider versions its API (ittybit's Accept-Version); else null.</summary>
    public string? ApiVersion { get; }

    internal string ApiKey { get; }

    public override string ToString() => $"{Provider.Info.Name} at {BaseUri} (key from {KeySource})";

    /// <summary>The base URL: the one given, else the provider's variable, else its documented default.</summary>
    public static Uri ResolveBaseUri(ProviderInfo info, Uri? given, Func<string, string?> environment)
    {
        if (given is not null)
        {
            return RequireHttpUri(given, "-BaseUri");
        }

        var fromEnvironment = environment(info.BaseUriVariable);
        if (string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return info.DefaultBaseUri;
        }

        if (!Uri.TryCreate(fromEnvironment!.Trim(), UriKind.Absolute, out var parsed))
        {
            throw new InvalidSettingException(SettingProblem.BaseUri, Strings.BaseUriNotAbsolute(info.BaseUriVariable, Shown(fromEnvironment)), info.BaseUriVariable);
        }

        return RequireHttpUri(parsed, info.BaseUriVariable);
    }

    /// <summary>
    /// The API version to ask for: the one given (an account's), else the provider's variable, else the
    /// version the module is written against; null for a provider without versions.
    /// </summary>
    public static string? ResolveApiVersion(ProviderInfo info, string? given, string givenSource, Func<string, string?> environment)
    {
        if (info.ApiVersionVariable is not { } variable)
        {
            return given is null ? null : throw new InvalidSettingException(SettingProblem.ApiVersion, Strings.NoApiVersions(info.Name), givenSource);
        }

        var fromEnvironment = environment(variable);
        var (version, source) = given is not null ? (given, givenSource)
            : !string.IsNullOrWhiteSpace(fromEnvironment) ? (fromEnvironment!.Trim(), variable)
            : (info.DefaultApiVersion!, "default");

        // It goes out as a header value: a token, never a line break or anything a header cannot carry.
        if (version.Length == 0 || version.Length > 40 || !IsToken(version))
        {
            throw new InvalidSettingException(SettingProblem.ApiVersion, Strings.InvalidApiVersion(source, version, info.DefaultApiVersion!), source);
        }

        return version;
    }

    private static bool IsToken(string text)
    {
        foreach (var character in text)
        {
            if (!(character is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The key from the first of the provider's variables that is set, with the variable's name; <see cref="InvalidSettingException"/> when it cannot be sent.</summary>
    public static (string Key, string Source)? KeyFromEnvironment(ProviderInfo info, Func<string, string?> environment)
    {
        foreach (var variable in info.KeyVariables)
        {
            var value = environment(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                // The first variable set is the one meant: a bad key there is an error, not a reason to try the next.
                return (ApiKeys.Check(value!.Trim(), variable), "env:" + variable);
            }
        }

        return null;
    }

    /// <summary>The URL itself when it can be a base URL (absolute https, or http to loopback; no query or user info); else <see cref="InvalidSettingException"/>.</summary>
    public static Uri RequireHttpUri(Uri uri, string source)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidSettingException(SettingProblem.BaseUri, Strings.BaseUriNotAbsolute(source, Shown(uri.OriginalString)), source);
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidSettingException(SettingProblem.BaseUri, Strings.BaseUriHasQuery(source, Shown(uri.OriginalString)), source);
        }

        // A key in plain http can be read by anyone on the way; only this machine's own loopback is exempt.
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            throw new InvalidSettingException(SettingProblem.InsecureBaseUri, Strings.BaseUriNotHttps(source, Shown(uri.OriginalString)), source);
        }

        return uri;
    }

    /// <summary>
    /// A base URL as errors show it: as given, query and all, so that what is wrong with it can be seen,
    /// but with any user info (which may hold a password) shown as (redacted). Keys the module knows
    /// are taken out where the error is written, as from any other text.
    /// </summary>
    public static string Shown(string given)
    {
        // The host part starts after "//" ("https://", or a mistyped "https//"), else at the start (user:password@host).
        var slashes = given.IndexOf("//", StringComparison.Ordinal);
        var authorityStart = slashes < 0 ? 0 : slashes + 2;
        var authorityEnd = given.IndexOfAny(AuthorityEnds, authorityStart);
        authorityEnd = authorityEnd < 0 ? given.Length : authorityEnd;

        // The last '@' ends the user info: a password may hold an '@' of its own.
        var at = authorityEnd > authorityStart ? given.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart) : -1;
        if (at >= 0)
        {
            given = given.Substring(0, authorityStart) + Redactor.Mask + given.Substring(at);
        }

        return Strings.Shorten(given, 500);
    }
}
