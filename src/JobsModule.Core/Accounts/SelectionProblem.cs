using System.Collections.Generic;
using System.Linq;
using JobsModule.Engine;
using JobsModule.Listing;
using JobsModule.Providers;

namespace JobsModule.Accounts;

/// <summary>Why an account or provider cannot be used, found before anything is sent; the cmdlet makes an error record of it.</summary>
internal sealed record SelectionProblem(SelectionProblemKind Kind, string Message)
{
    /// <summary>True when the call must end before anything is sent; false when only this provider or account is left out.</summary>
    public bool StopsCall { get; init; }

    /// <summary>The provider concerned, when there is one.</summary>
    public string? Provider { get; init; }

    /// <summary>What was given that is wrong, where it is not the provider: a provider or account name, a -BaseUri.</summary>
    public string? Target { get; init; }

    public QueryProblem? Query { get; init; }

    public InvalidSettingException? Setting { get; init; }

    public static SelectionProblem UnknownProvider(string name) =>
        new(SelectionProblemKind.UnknownProvider, Strings.UnknownProvider(name, ProviderRegistry.Names)) { Target = name, StopsCall = true };

    public static SelectionProblem From(QueryProblem problem, string provider) =>
        new(problem.Kind switch
        {
            QueryProblemKind.PageSizeOutOfRange => SelectionProblemKind.PageSizeOutOfRange,
            QueryProblemKind.InvalidKind => SelectionProblemKind.InvalidKind,
            _ => SelectionProblemKind.FilterNotSupported,
        }, problem.Message)
        { Query = problem, Provider = provider, StopsCall = true };

    /// <summary>A setting that cannot be used: a bad -BaseUri is named by its value (as errors show it), anything else by where it came from.</summary>
    public static SelectionProblem From(InvalidSettingException exception, System.Uri? baseUri) =>
        new(SelectionProblemKind.Setting, exception.Message)
        {
            Setting = exception,
            Target = exception.Problem is SettingProblem.BaseUri or SettingProblem.InsecureBaseUri && exception.Setting == "-BaseUri" && baseUri is not null ? ProviderEndpoint.Shown(baseUri.OriginalString) : null,
            StopsCall = true,
        };

    /// <summary>An account whose environment variable cannot be used: this provider is left out, the call goes on with the others.</summary>
    public static SelectionProblem From(InvalidSettingException exception, ProviderAccount account) =>
        new(SelectionProblemKind.Setting, exception.Message) { Setting = exception, Provider = account.Provider };

    public static SelectionProblem MissingKey(ProviderInfo info) =>
        new(SelectionProblemKind.MissingKey, Strings.NoKey(info.Name, info.KeyVariables)) { Provider = info.Name };

    public static SelectionProblem NoKeys(IEnumerable<IJobProvider> providers) =>
        new(SelectionProblemKind.NoKeys, Strings.NoProviderHasKey(providers.SelectMany(provider => provider.Info.KeyVariables))) { StopsCall = true };

    public static SelectionProblem AccountNotFound(string name) =>
        new(SelectionProblemKind.AccountNotFound, Strings.AccountNotFound(name)) { Target = name };
}
