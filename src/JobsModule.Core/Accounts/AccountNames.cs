using System.Globalization;
using JobsModule.Engine;

namespace JobsModule.Accounts;

/// <summary>
/// What an account name must be: something -Account and -Name can select again as typed. They take
/// wildcards, so a name holds none of PowerShell's wildcard characters, and then every name is a
/// pattern that matches exactly itself; no control or invisible character and no space at either end,
/// which would not show (or would be lost) when the name is typed again.
/// </summary>
internal static class AccountNames
{
    /// <summary>Long enough for an e-mail address or a user principal name from a credential.</summary>
    public const int MaxLength = 128;

    // The characters PowerShell's wildcard patterns read as wildcards, and the backtick that escapes them.
    private static readonly char[] WildcardCharacters = { '*', '?', '[', ']', '`' };

    /// <summary>Why <paramref name="name"/> cannot name an account, or null when it can; <paramref name="source"/> says where it came from (-Name, a credential's user name).</summary>
    public static string? Problem(string? name, string source)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Strings.AccountNameBlank(source);
        }

        if (name!.Length > MaxLength)
        {
            return Strings.AccountNameTooLong(source, name, MaxLength);
        }

        for (var i = 0; i < name.Length; i++)
        {
            if (Invisible(name, i) is { } description)
            {
                return Strings.AccountNameCharacter(source, name, description);
            }
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[name.Length - 1]))
        {
            return Strings.AccountNameSpaces(source, name);
        }

        var wildcard = name.IndexOfAny(WildcardCharacters);
        return wildcard >= 0 ? Strings.AccountNameWildcard(source, name, name[wildcard]) : null;
    }

    // A character that does not print: control, formatting (zero-width), a line or paragraph separator, half a surrogate pair.
    private static string? Invisible(string name, int index)
    {
        var character = name[index];
        switch (char.GetUnicodeCategory(character))
        {
            case UnicodeCategory.Control:
                return character switch
                {
                    '\r' or '\n' => "a line break",
                    '\t' => "a tab",
                    _ => "the control character " + CodePoint(character),
                };
            case UnicodeCategory.Format:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
                return "the invisible character " + CodePoint(character);
            case UnicodeCategory.Surrogate when !char.IsSurrogatePair(name, index) && !(index > 0 && char.IsSurrogatePair(name, index - 1)):
                return "half of a character (" + CodePoint(character) + ")";
            default:
                return null;
        }
    }

    private static string CodePoint(char character) => "U+" + ((int)character).ToString("X4", CultureInfo.InvariantCulture);
}
