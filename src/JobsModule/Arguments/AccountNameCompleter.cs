using System.Collections;
using System.Management.Automation.Language;
using JobsModule.Engine;

namespace JobsModule;

/// <summary>Completes the names of the accounts this runspace can use.</summary>
public sealed class AccountNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var providers = Completions.ChosenProviders(fakeBoundParameters).Select(provider => provider.Name).ToList();
        IEnumerable<string> names;
        try
        {
            names = JobsEngine.Available(AccountStore.Current.Connected, System.Environment.GetEnvironmentVariable)
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

        return Completions.Complete(names, parameterName, wordToComplete, commandAst, fakeBoundParameters);
    }
}
