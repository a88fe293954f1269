using System.Collections;
using System.Management.Automation.Language;

namespace JobsModule;

/// <summary>Completes provider names, leaving out the ones already given to the parameter.</summary>
public sealed class ProviderNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completions.Complete(ProviderRegistry.Names, parameterName, wordToComplete, commandAst, fakeBoundParameters);
}
