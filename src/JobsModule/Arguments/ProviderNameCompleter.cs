using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace JobsModule;

/// <summary>Completes provider names, leaving out the ones already given to the parameter.</summary>
public sealed class ProviderNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var given = Completions.AlreadyGiven(parameterName, wordToComplete, commandAst, fakeBoundParameters);
        return Completions.Matching(ProviderRegistry.Names.Where(name => !given.Contains(name)), wordToComplete);
    }
}
