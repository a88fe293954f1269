using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;

namespace JobsModule;

/// <summary>
/// Decides which accounts a call lists, in the documented order: -ApiKey on the call, then the
/// accounts connected in this runspace, then the providers' environment variables. It checks the
/// query against every chosen provider first, so bad input fails before anything is sent.
/// </summary>
internal sealed class EndpointResolver
{
    private readonly Func<string, string?> _environment;

    public EndpointResolver(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public sealed class Selection
    {
        public List<ProviderEndpoint> Endpoints { get; } = new();

        /// <summary>Non-terminating problems (a named provider without a key, an unknown account).</summary>
        public List<ErrorRecord> Errors { get; } = new();

        /// <summary>Why providers were left out, for -Verbose.</summary>
        public List<string> Notes { get; } = new();
    }

    /// <summary>Throws <see cref="SelectionException"/> for input that must stop the call before anything is sent.</summary>
    public Selection Resolve(IReadOnlyCollection<string>? providerNames, IReadOnlyCollection<string>? accountNames, JobQuery query, SecureString? apiKey, Uri? baseUri)
    {
        var named = providerNames is not null || accountNames is not null;
        if (providerNames is null && (apiKey is not null || baseUri is not null))
        {
            throw new SelectionException(ErrorRecords.InvalidArgument("ProviderRequired", "-ApiKey and -BaseUri apply to the providers named with -Provider; name them.", null));
        }

        if (apiKey is not null && accountNames is not null)
        {
            throw new SelectionException(ErrorRecords.InvalidArgument("ApiKeyWithAccount", "-ApiKey and -Account are two ways to give a key: use one of them.", null));
        }

        if (apiKey is not null && providerNames!.Count != 1)
        {
            throw new SelectionException(ErrorRecords.InvalidArgument("ApiKeyNeedsOneProvider", "-ApiKey is one provider's key: name exactly one provider with -Provider, or use Connect-ProviderAccount for several.", null));
        }

        var providers = providerNames is null
            ? ProviderRegistry.All.ToList()
            : providerNames.Select(name => ProviderRegistry.Find(name) ?? throw new SelectionException(ErrorRecords.UnknownProvider(name))).Distinct().ToList();

        var selection = new Selection();
        var usable = new List<IJobProvider>();
        var available = AvailableAccounts(apiKey, baseUri);
        foreach (var provider in providers)
        {
            if (!named && !available.Any(account => account.Provider == provider.Info.Name))
            {
                // Not named and no key: it is not listed, so its limits do not matter.
                selection.Notes.Add(Strings.SkippedProvider(provider.Info.Name, Strings.NoKey(provider.Info.Name, provider.Info.KeyVariables)));
                continue;
            }

            var problems = query.ProblemsWith(provider.Info);
            var blocking = problems.FirstOrDefault(problem => providerNames is not null || problem.Kind == QueryProblemKind.PageSizeOutOfRange);
            if (blocking.Message is not null)
            {
                throw new SelectionException(ErrorRecords.From(blocking, provider.Info.Name));
            }

            if (problems.Count > 0)
            {
                selection.Notes.Add(Strings.SkippedProvider(provider.Info.Name, problems[0].Message));
                continue;
            }

            usable.Add(provider);
        }

        try
        {
            if (apiKey is not null)
            {
                var key = ApiKeys.Check(SecureKey.Reveal(apiKey), "-ApiKey");
                foreach (var provider in usable)
                {
                    var resolvedBase = ProviderEndpoint.ResolveBaseUri(provider.Info, baseUri, _environment);
                    var version = ProviderEndpoint.ResolveApiVersion(provider.Info, null, "-ApiVersion", _environment);
                    selection.Endpoints.Add(new ProviderEndpoint(provider, resolvedBase, key, "-ApiKey", provider.Info.Name, version));
                }

                return selection;
            }

            if (accountNames is not null)
            {
                foreach (var accountName in accountNames)
                {
                    var pattern = new WildcardPattern(accountName, WildcardOptions.IgnoreCase);
                    var matches = available.Where(account => pattern.IsMatch(account.Name) && providers.Any(provider => provider.Info.Name == account.Provider)).ToList();
                    if (matches.Count == 0)
                    {
                        selection.Errors.Add(ErrorRecords.AccountNotFound(accountName));
                    }

                    foreach (var account in matches.Where(account => usable.Any(provider => provider.Info.Name == account.Provider)))
                    {
                        AddOnce(selection, account.ToEndpoint(_environment, baseUri));
                    }
                }
            }
            else
            {
                foreach (var provider in usable)
                {
                    var accounts = available.Where(account => account.Provider == provider.Info.Name).ToList();
                    if (accounts.Count == 0)
                    {
                        selection.Errors.Add(ErrorRecords.MissingKey(provider.Info));
                    }

                    foreach (var account in accounts)
                    {
                        selection.Endpoints.Add(account.ToEndpoint(_environment, baseUri));
                    }
                }
            }
        }
        catch (InvalidSettingException ex)
        {
            throw SettingError(ex, baseUri);
        }

        if (!named && selection.Endpoints.Count == 0)
        {
            // Nothing to list: say why, rather than list nothing.
            var filtered = providers.FirstOrDefault(provider => available.Any(account => account.Provider == provider.Info.Name));
            if (filtered is null)
            {
                throw new SelectionException(ErrorRecords.NoKeys(providers.SelectMany(provider => provider.Info.KeyVariables)));
            }

            throw new SelectionException(ErrorRecords.From(query.ProblemsWith(filtered.Info)[0], filtered.Info.Name));
        }

        return selection;
    }

    /// <summary>Connected and environment accounts; none are needed when the call brings its own key.</summary>
    private IReadOnlyList<ProviderAccount> AvailableAccounts(SecureString? apiKey, Uri? baseUri)
    {
        try
        {
            if (baseUri is not null)
            {
                ProviderEndpoint.RequireHttpUri(baseUri, "-BaseUri");
            }

            return apiKey is not null ? Array.Empty<ProviderAccount>() : AccountStore.Current.Available(_environment);
        }
        catch (InvalidSettingException ex)
        {
            throw SettingError(ex, baseUri);
        }
    }

    /// <summary>Exactly these accounts (from the pipeline), after the same checks against the query.</summary>
    public Selection ResolveAccounts(IReadOnlyList<ProviderAccount> accounts, JobQuery query, Uri? baseUri)
    {
        var selection = new Selection();
        try
        {
            if (baseUri is not null)
            {
                ProviderEndpoint.RequireHttpUri(baseUri, "-BaseUri");
            }

            foreach (var account in accounts)
            {
                var problems = query.ProblemsWith(account.ProviderInfo.Info);
                if (problems.Count > 0)
                {
                    throw new SelectionException(ErrorRecords.From(problems[0], account.Provider));
                }

                AddOnce(selection, account.ToEndpoint(_environment, baseUri));
            }
        }
        catch (InvalidSettingException ex)
        {
            throw SettingError(ex, baseUri);
        }
        catch (InvalidOperationException ex)
        {
            // An environment account whose variable has been removed since.
            throw new SelectionException(new ErrorRecord(ex, "ApiKeyNotFound", ErrorCategory.AuthenticationError, null));
        }

        return selection;
    }

    /// <summary>A setting that cannot be used stops the call; a bad -BaseUri is its own target, anything else is named by where it came from.</summary>
    private static SelectionException SettingError(InvalidSettingException exception, Uri? baseUri) =>
        new(ErrorRecords.Setting(exception, exception.Problem is SettingProblem.BaseUri or SettingProblem.InsecureBaseUri && exception.Setting == "-BaseUri" ? baseUri?.OriginalString : null));

    private static void AddOnce(Selection selection, ProviderEndpoint endpoint)
    {
        if (!selection.Endpoints.Any(existing => existing.Provider == endpoint.Provider && existing.Account == endpoint.Account))
        {
            selection.Endpoints.Add(endpoint);
        }
    }
}

/// <summary>Carries an error that must end the call before anything is sent.</summary>
internal sealed class SelectionException : Exception
{
    public SelectionException(ErrorRecord record)
        : base(record.Exception.Message)
    {
        Record = record;
    }

    public ErrorRecord Record { get; }
}
