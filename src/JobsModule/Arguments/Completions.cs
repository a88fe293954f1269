using System.Collections;
using System.Management.Automation.Language;

namespace JobsModule;

internal static class Completions
{
    /// <summary>The <paramref name="candidates"/> not yet given to the parameter that match the word being completed.</summary>
    public static IEnumerable<CompletionResult> Complete(IEnumerable<string> candidates, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var given = AlreadyGiven(parameterName, wordToComplete, commandAst, fakeBoundParameters);
        return Matching(candidates.Where(candidate => !given.Contains(candidate)), wordToComplete);
    }

    /// <summary>
    /// The values that match the word being completed, as PowerShell's own completers insert them: in
    /// the quotes the word was begun with, else in single quotes when the value as a bare word would not
    /// read back as itself (a space, a quote, syntax, a number such as 1e3), with the quotes inside escaped.
    /// </summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> values, string wordToComplete)
    {
        var (quote, word) = ReadWord(wordToComplete ?? string.Empty);
        return values
            .Where(value => value.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .OrderBy(value => value, StringComparer.OrdinalIgnoreCase)
            .Select(value => new CompletionResult(Quote(value, quote), value, CompletionResultType.ParameterValue, value));
    }

    /// <summary>
    /// The values already given to a multi-valued parameter, other than the one being completed, so that
    /// <c>-Provider Krea, &lt;Tab&gt;</c> does not offer Krea again.
    /// </summary>
    public static ISet<string> AlreadyGiven(string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var given = new List<string>();
        if (fakeBoundParameters[parameterName] is { } bound)
        {
            given.AddRange(BoundValues.Of(bound).Cast<object?>().Select(item => item?.ToString() ?? string.Empty));

            // The word being completed is bound too (-Provider Krea,Kr binds Krea and Kr); it is still to be offered.
            var (_, word) = ReadWord(wordToComplete ?? string.Empty);
            var current = given.FindLastIndex(value => string.Equals(value, word, StringComparison.OrdinalIgnoreCase));
            if (current >= 0)
            {
                given.RemoveAt(current);
            }
        }
        else if (commandAst.CommandElements.OfType<ErrorExpressionAst>().LastOrDefault(element => element.Extent.Text.TrimEnd().EndsWith(",", StringComparison.Ordinal)) is { } unfinished)
        {
            // "-Provider Krea, " binds nothing: PowerShell reads the unfinished list as an error expression.
            given.AddRange(unfinished.FindAll(ast => ast is StringConstantExpressionAst, searchNestedScriptBlocks: false)
                .Cast<StringConstantExpressionAst>()
                .Select(constant => constant.Value));
        }

        return new HashSet<string>(given, StringComparer.OrdinalIgnoreCase);
    }

    public static IEnumerable<ProviderInfo> ChosenProviders(IDictionary fakeBoundParameters)
    {
        if (fakeBoundParameters["Provider"] is { } bound)
        {
            var names = BoundValues.Of(bound).Cast<object?>().Select(item => item?.ToString());
            var found = names.Select(name => ProviderRegistry.FindInfo(name ?? string.Empty)).Where(provider => provider is not null).ToList();
            if (found.Count > 0)
            {
                return found!;
            }
        }

        return ProviderRegistry.Providers;
    }

    // The word as typed: the quote it was begun with (or none), and its text without quotes or escapes.
    private static (char? Quote, string Text) ReadWord(string word)
    {
        if (word.Length == 0 || (word[0] != '\'' && word[0] != '"'))
        {
            return (null, word);
        }

        var quote = word[0];
        var text = word.Length > 1 && word[word.Length - 1] == quote ? word.Substring(1, word.Length - 2) : word.Substring(1);
        if (quote == '\'')
        {
            return (quote, text.Replace("''", "'"));
        }

        // In double quotes a backtick escapes the next character, and "" is one quote.
        var unescaped = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if ((text[i] == '`' || (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')) && i + 1 < text.Length)
            {
                i++;
            }

            unescaped.Append(text[i]);
        }

        return (quote, unescaped.ToString());
    }

    private static string Quote(string value, char? quote)
    {
        if (quote == '"')
        {
            var escaped = new System.Text.StringBuilder(value.Length + 2).Append('"');
            foreach (var c in value)
            {
                if (c is '`' or '$' or '"' or '\u201c' or '\u201d' or '\u201e')
                {
                    escaped.Append('`');
                }

                escaped.Append(c);
            }

            return escaped.Append('"').ToString();
        }

        if (quote == '\'' || !ReadsBackBare(value))
        {
            return "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";
        }

        return value;
    }

    // Whether the value, typed bare as a command argument, is read as exactly this text: PowerShell's own
    // parser decides, so a parameter name (-x), a number (1e3, 0x10, 1kb), a comment (#) or any syntax is quoted.
    private static bool ReadsBackBare(string value)
    {
        var script = Parser.ParseInput("Write-Output " + value, out _, out var errors);
        return errors.Length == 0
            && script.EndBlock is { Statements.Count: 1 } block
            && block.Statements[0] is PipelineAst { PipelineElements.Count: 1 } pipeline
            && pipeline.PipelineElements[0] is CommandAst { CommandElements.Count: 2 } command
            && command.CommandElements[1] is StringConstantExpressionAst { StringConstantType: StringConstantType.BareWord } word
            && word.Value == value;
    }
}
