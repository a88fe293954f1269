using JobsModule.Engine;
using JobsModule.Listing;
using JobsModule.Providers;

namespace JobsModule.Accounts;

/// <summary>
/// Chooses the accounts a call uses, in the documented order: a key given on the call (-ApiKey), else
/// the connected accounts, else the providers' environment variables (a provider with a connected
/// account ignores its variables). The query is checked against every chosen provider first, so bad
/// input fails before anything is sent. Pure: what it needs is handed in, and what it finds comes
/// back as endpoints, problems and notes.
/// </summary>
internal sealed class AccountSelector
{
    private readonly IReadOnlyList<ProviderAccount> _connected;
    private readonly Func<string, string?> _environment;
    private readonly Func<string, string, bool> _matches;

    /// <param name="connected">The accounts connected in this runspace.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="matches">Whether a pattern (wildcards allowed) matches an account name.</param>
    public AccountSelector(IReadOnlyList<ProviderAccount> connected, Func<string, string?> environment, Func<string, string, bool> matches)
    {
        _connected = connected;
        _environment = environment;
        _matches = matches;
    }

    /// <summary>The connected accounts, and for each provider without one, the account its environment variables give; by provider, then name.</summary>
    public static IReadOnlyList<ProviderAccount> Available(IReadOnlyList<ProviderAccount> connected, Func<string, string?> environment)
    {
        var fromEnvironment = ProviderRegistry.All
            .Where(provider => !connected.Any(account => account.Provider == provider.Info.Name))
            .Select(provider => ProviderAccount.FromEnvironment(provider, environment))
            .Where(account => account is not null)
            .Cast<ProviderAccount>();
        return connected
            .Concat(fromEnvironment)
            .OrderBy(account => account.Provider, StringComparer.OrdinalIgnoreCase)
            .ThenBy(account => account.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public AccountSelection Select(AccountRequest request)
    {
        try
        {
            return request.Accounts is { } given ? Exactly(given, request) : Lookup(request);
        }
        catch (InvalidSettingException ex)
        {
            return AccountSelection.Stopped(Problem.From(ex, request.BaseUri));
        }
        catch (InvalidOperationException ex)
        {
            // An environment account whose variable has been removed since it was listed.
            return AccountSelection.Stopped(new Problem(ProblemKind.MissingKey, ex.Message));
        }
    }

    private AccountSelection Lookup(AccountRequest request)
    {
        var named = request.Providers is not null || request.AccountPatterns is not null;
        var providers = new List<IJobProvider>();
        foreach (var name in request.Providers ?? ProviderRegistry.Names.ToList())
        {
            if (ProviderRegistry.Find(name) is not { } provider)
            {
                return AccountSelection.Stopped(Problem.UnknownProvider(name));
            }

            if (!providers.Contains(provider))
            {
                providers.Add(provider);
            }
        }

        RequireBaseUri(request.BaseUri);

        // A call that brings its own key needs no account.
        var available = request.ApiKey is null ? Available(_connected, _environment) : Array.Empty<ProviderAccount>();
        bool HasAccount(IJobProvider provider) => available.Any(account => account.Provider == provider.Info.Name);

        var selection = new AccountSelection();
        var usable = new List<IJobProvider>();
        foreach (var provider in providers)
        {
            var info = provider.Info;
            if (!named && !HasAccount(provider))
            {
                // Not named and no key: it is not listed, so its limits do not matter.
                selection.Notes.Add(Strings.SkippedProvider(info.Name, Strings.NoKey(info.Name, info.KeyVariables)));
                continue;
            }

            // A filter a named provider cannot apply is an error; one left to the default is left out. A page size is always an error.
            var problems = request.Query.ProblemsWith(info);
            var blocking = problems.FirstOrDefault(problem => request.Providers is not null || problem.Kind == QueryProblemKind.PageSizeOutOfRange);
            if (blocking.Message is not null)
            {
                return AccountSelection.Stopped(Problem.From(blocking, info.Name));
            }

            if (problems.Count > 0)
            {
                selection.Notes.Add(Strings.SkippedProvider(info.Name, problems[0].Message));
                continue;
            }

            usable.Add(provider);
        }

        if (request.ApiKey is { } apiKey)
        {
            var key = ApiKeys.Check(SecureKey.Reveal(apiKey), "-ApiKey");
            foreach (var provider in usable)
            {
                var info = provider.Info;
                var baseUri = ProviderEndpoint.ResolveBaseUri(info, request.BaseUri, _environment);
                var version = ProviderEndpoint.ResolveApiVersion(info, null, "-ApiVersion", _environment);
                selection.Endpoints.Add(new ProviderEndpoint(provider, baseUri, key, "-ApiKey", info.Name, version));
            }

            return selection;
        }

        if (request.AccountPatterns is { } patterns)
        {
            foreach (var pattern in patterns)
            {
                var matches = available.Where(account => _matches(pattern, account.Name) && providers.Any(provider => provider.Info.Name == account.Provider)).ToList();
                if (matches.Count == 0)
                {
                    selection.Problems.Add(Problem.AccountNotFound(pattern));
                }

                foreach (var account in matches.Where(account => usable.Any(provider => provider.Info.Name == account.Provider)))
                {
                    Use(account, selection, request.BaseUri);
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
                    selection.Problems.Add(Problem.MissingKey(provider.Info));
                }

                foreach (var account in accounts)
                {
                    Use(account, selection, request.BaseUri);
                }
            }
        }

        // A bad variable leaves its provider out while others are listed; when nothing else is, it ends the call as it always did.
        if (selection.Endpoints.Count == 0 && selection.Problems.FirstOrDefault(problem => problem.Kind == ProblemKind.Setting) is { } setting)
        {
            return AccountSelection.Stopped(setting);
        }

        if (!named && selection.Endpoints.Count == 0)
        {
            // Nothing to list: say why, rather than list nothing.
            return AccountSelection.Stopped(providers.FirstOrDefault(HasAccount) is { } filtered
                ? Problem.From(request.Query.ProblemsWith(filtered.Info)[0], filtered.Info.Name)
                : Problem.NoKeys(providers));
        }

        return selection;
    }

    /// <summary>Exactly the accounts given (from the pipeline), after the same checks against the query.</summary>
    private AccountSelection Exactly(IReadOnlyList<ProviderAccount> accounts, AccountRequest request)
    {
        RequireBaseUri(request.BaseUri);
        var selection = new AccountSelection();
        foreach (var account in accounts)
        {
            var problems = request.Query.ProblemsWith(account.ProviderInfo.Info);
            if (problems.Count > 0)
            {
                return AccountSelection.Stopped(Problem.From(problems[0], account.Provider));
            }

            selection.AddOnce(account.ToEndpoint(_environment, request.BaseUri));
        }

        return selection;
    }

    /// <summary>
    /// Adds the account's endpoint once; an account whose variable cannot be used is a problem of its
    /// own (once, however many patterns match it), and the other accounts go on.
    /// </summary>
    private void Use(ProviderAccount account, AccountSelection selection, Uri? baseUri)
    {
        try
        {
            selection.AddOnce(account.ToEndpoint(_environment, baseUri));
        }
        catch (InvalidSettingException ex)
        {
            if (!selection.Problems.Any(problem => problem.Kind == ProblemKind.Setting && problem.Provider == account.Provider))
            {
                selection.Problems.Add(Problem.From(ex, account));
            }
        }
    }

    private static void RequireBaseUri(Uri? baseUri)
    {
        if (baseUri is not null)
        {
            ProviderEndpoint.RequireHttpUri(baseUri, "-BaseUri");
        }
    }
}
