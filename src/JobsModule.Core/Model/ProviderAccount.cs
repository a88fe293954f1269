using System.Security;
using JobsModule.Accounts;
using JobsModule.Engine;
using JobsModule.Providers;

namespace JobsModule;

/// <summary>
/// A named key and base URL for one provider. Connected accounts hold their key as a SecureString,
/// in memory only; accounts from the environment read it when used. The key is never shown.
/// </summary>
public sealed class ProviderAccount
{
    internal ProviderAccount(IJobProvider provider, string name, Uri baseUri, string keySource, SecureString? key, string? apiVersion)
    {
        ProviderInfo = provider;
        Name = name;
        BaseUri = baseUri;
        KeySource = keySource;
        Key = key;
        ApiVersion = apiVersion;
    }

    /// <summary>The provider's display name, for example Krea.</summary>
    public string Provider => ProviderInfo.Info.Name;

    public string Name { get; }

    public Uri BaseUri { get; }

    /// <summary>Where the key came from: -ApiKey, -Credential or env:VARIABLE. Never the key.</summary>
    public string KeySource { get; }

    /// <summary>The API version sent with every request, where the provider versions its API (ittybit); else null.</summary>
    public string? ApiVersion { get; }

    /// <summary>True for an account made with Connect-ProviderAccount; false for one read from the environment.</summary>
    public bool IsConnected => Key is not null;

    internal IJobProvider ProviderInfo { get; }

    internal SecureString? Key { get; }

    internal static ProviderAccount Connected(IJobProvider provider, string name, Uri baseUri, string keySource, SecureString key, string? apiVersion = null)
    {
        var copy = key.Copy();
        copy.MakeReadOnly();
        return new ProviderAccount(provider, name, baseUri, keySource, copy, apiVersion);
    }

    /// <summary>
    /// The account the environment gives a provider, if one of its key variables is set. A variable that
    /// cannot be used (a bad key, base URL or API version) makes an account that carries the problem in
    /// <see cref="Problem"/>, so that only a command that uses this provider fails, with that error.
    /// </summary>
    internal static ProviderAccount? FromEnvironment(IJobProvider provider, Func<string, string?> environment) =>
        FromEnvironment(provider, environment, null);

    // baseUri: a -BaseUri given on the call, which replaces the base URL variable (and any problem with it).
    private static ProviderAccount? FromEnvironment(IJobProvider provider, Func<string, string?> environment, Uri? baseUriGiven)
    {
        var info = provider.Info;
        var keySource = info.KeyVariables.FirstOrDefault(variable => !string.IsNullOrWhiteSpace(environment(variable)));
        if (keySource is null)
        {
            return null;
        }

        try
        {
            var key = ProviderEndpoint.KeyFromEnvironment(info, environment)!.Value;
            var baseUri = ProviderEndpoint.ResolveBaseUri(info, baseUriGiven, environment);
            return new ProviderAccount(provider, info.Name, baseUri, key.Source, null, ProviderEndpoint.ResolveApiVersion(info, null, "-ApiVersion", environment));
        }
        catch (InvalidSettingException problem)
        {
            return new ProviderAccount(provider, info.Name, info.DefaultBaseUri, "env:" + keySource, null, null) { Problem = problem };
        }
    }

    /// <summary>Why this account from the environment cannot be used (a variable that is wrong); null when it can.</summary>
    public InvalidSettingException? Problem { get; private init; }

    /// <summary>The endpoint to list with: the connected key, or the environment's key read now.</summary>
    internal ProviderEndpoint ToEndpoint(Func<string, string?> environment, Uri? baseUriOverride = null)
    {
        if (Problem is { } problem)
        {
            // -BaseUri replaces the base URL variable, so a bad one is no reason to refuse the account.
            if (baseUriOverride is not null
                && problem.Problem is SettingProblem.BaseUri or SettingProblem.InsecureBaseUri
                && FromEnvironment(ProviderInfo, environment, baseUriOverride) is { Problem: null } usable)
            {
                return usable.ToEndpoint(environment, baseUriOverride);
            }

            throw problem;
        }

        var key = Key is not null
            ? SecureKey.Reveal(Key)
            : ProviderEndpoint.KeyFromEnvironment(ProviderInfo.Info, environment)?.Key
              ?? throw new InvalidOperationException(Strings.NoKey(Provider, ProviderInfo.Info.KeyVariables));
        return new ProviderEndpoint(ProviderInfo, baseUriOverride ?? BaseUri, key, KeySource, Name, ApiVersion);
    }

    public override string ToString() => Label(Provider, Name);

    /// <summary>How an account is named in messages, targets and progress: "name (Provider)", or the provider alone for its default account.</summary>
    internal static string Label(string provider, string? account) =>
        account is null || account == provider ? provider : $"{account} ({provider})";
}
