using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace JobsModule;

/// <summary>Rejects provider names the module does not know, at binding time, before anything is sent.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateProviderNameAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var names = arguments is IEnumerable list and not string ? list.Cast<object>() : new[] { arguments };
        foreach (var name in names)
        {
            if (ProviderRegistry.Find(name?.ToString() ?? string.Empty) is null)
            {
                throw new ValidationMetadataException(
                    $"'{name}' is not a provider this module knows. Valid providers: {string.Join(", ", ProviderRegistry.Names)}.");
            }
        }
    }
}

/// <summary>Completes provider names.</summary>
public sealed class ProviderNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(ProviderRegistry.Names, wordToComplete);
}

/// <summary>Completes the documented job kinds of the chosen providers (or of all of them).</summary>
public sealed class JobKindCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var chosen = Completions.ChosenProviders(fakeBoundParameters);
        var kinds = chosen.SelectMany(provider => provider.Info.KnownKinds ?? Array.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase);
        return Completions.Matching(kinds, wordToComplete);
    }
}

/// <summary>Completes the names of the accounts this runspace can use.</summary>
public sealed class AccountNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var providers = Completions.ChosenProviders(fakeBoundParameters).Select(provider => provider.Info.Name).ToList();
        IEnumerable<string> names;
        try
        {
            names = AccountStore.Current.Available(System.Environment.GetEnvironmentVariable)
                .Where(account => providers.Contains(account.Provider))
                .Select(account => account.Name)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
        }
        catch (ArgumentException)
        {
            // A malformed base URL variable: completion offers nothing rather than failing.
            names = Array.Empty<string>();
        }

        return Completions.Matching(names, wordToComplete);
    }
}

internal static class Completions
{
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return values
            .Where(value => value.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .OrderBy(value => value, StringComparer.OrdinalIgnoreCase)
            .Select(value => new CompletionResult(value, value, CompletionResultType.ParameterValue, value));
    }

    public static IEnumerable<IJobProvider> ChosenProviders(IDictionary fakeBoundParameters)
    {
        if (fakeBoundParameters["Provider"] is { } bound)
        {
            var names = bound is IEnumerable list and not string ? list.Cast<object>().Select(item => item.ToString()) : new[] { bound.ToString() };
            var found = names.Select(name => ProviderRegistry.Find(name ?? string.Empty)).Where(provider => provider is not null).ToList();
            if (found.Count > 0)
            {
                return found!;
            }
        }

        return ProviderRegistry.All;
    }
}
