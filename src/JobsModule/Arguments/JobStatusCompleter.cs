using System.Collections;
using System.Management.Automation.Language;

namespace JobsModule;

/// <summary>
/// Completes the status names for -Status, leaving out the ones already given. -Status takes text, so that
/// a name the module does not know is its own error (InvalidStatus) rather than PowerShell's enum
/// conversion; PowerShell completes an enum parameter by itself, a text one needs this.
/// </summary>
internal sealed class JobStatusCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        => Completions.Complete(Enum.GetNames(typeof(JobStatus)), parameterName, wordToComplete, commandAst, fakeBoundParameters);
}
