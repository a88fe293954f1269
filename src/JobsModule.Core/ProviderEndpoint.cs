using System;

namespace JobsModule;

/// <summary>
/// Where and as whom to list one provider's jobs. The key stays inside: ToString and every
/// public member leave it out, so an endpoint can be logged or shown safely.
/// </summary>
public sealed class ProviderEndpoint
{
    public ProviderEndpoint(IJobProvider provider, Uri baseUri, string apiKey, string keySource, string? account = null)
    {
        Provider = provider;
        BaseUri = baseUri;
        ApiKey = apiKey;
        KeySource = keySource;
        Account = account;
    }

    public IJobProvider Provider { get; }

    public Uri BaseUri { get; }

    /// <summary>Where the key came from, for example "env:KREA_API_KEY"; never the key.</summary>
    public string KeySource { get; }

    public string? Account { get; }

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
            throw new BaseUriException(Strings.BaseUriNotAbsolute(info.BaseUriVariable, fromEnvironment), info.BaseUriVariable);
        }

        return RequireHttpUri(parsed, info.BaseUriVariable);
    }

    /// <summary>The key from the first of the provider's variables that is set, with the variable's name.</summary>
    public static (string Key, string Source)? KeyFromEnvironment(ProviderInfo info, Func<string, string?> environment)
    {
        foreach (var variable in info.KeyVariables)
        {
            var value = environment(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return (value!.Trim(), "env:" + variable);
            }
        }

        return null;
    }

    /// <summary>The URL itself when it can be a base URL (absolute http or https, no query or user info); else ArgumentException.</summary>
    public static Uri RequireHttpUri(Uri uri, string source)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new BaseUriException(Strings.BaseUriNotAbsolute(source, uri.OriginalString), source);
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new BaseUriException(Strings.BaseUriHasQuery(source, uri.Scheme + "://" + uri.Authority + uri.AbsolutePath), source);
        }

        return uri;
    }
}

/// <summary>A base URL that cannot be used; the message names where it came from (-BaseUri or a variable).</summary>
public sealed class BaseUriException : ArgumentException
{
    public BaseUriException(string message, string setting)
        : base(message)
    {
        Setting = setting;
    }

    /// <summary>-BaseUri, or the environment variable the URL came from.</summary>
    public string Setting { get; }
}
