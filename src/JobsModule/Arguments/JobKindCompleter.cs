using System.Collections;
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
        => Completions.Complete(
            Completions.ChosenProviders(fakeBoundParameters)
                .SelectMany(provider => provider.KnownKinds ?? provider.SuggestedKinds ?? Array.Empty<string>())
                .Distinct(StringComparer.OrdinalIgnoreCase),
            parameterName,
            wordToComplete,
            commandAst,
            fakeBoundParameters);
}
