using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace JobsModule;

/// <summary>
/// Completes the job kinds of the chosen providers (or of all of them): the documented kinds where a
/// provider has a closed set, its documented examples where its kinds are free text (Krea).
/// </summary>
public sealed class JobKindCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var chosen = Completions.ChosenProviders(fakeBoundParameters);
        var given = Completions.AlreadyGiven(parameterName, wordToComplete, commandAst, fakeBoundParameters);
        var kinds = chosen
            .SelectMany(provider => provider.KnownKinds ?? provider.SuggestedKinds ?? Array.Empty<string>())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(kind => !given.Contains(kind));
        return Completions.Matching(kinds, wordToComplete);
    }
}
