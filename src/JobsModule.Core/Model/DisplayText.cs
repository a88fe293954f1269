using System.Globalization;
using System.Text;

namespace JobsModule;

/// <summary>
/// The one rule for showing text that came from outside (a server, a user) on a console: in the
/// default views and in every message the module writes. A character that would act on the terminal
/// instead of being shown (ESC starting a control sequence that clears the screen or sets the window
/// title, BEL, a CR that rewinds the line, a line break that fakes a new line, a bidirectional override
/// that reverses what follows) is written as a JSON string escape: \n, \r, \t, \b, \f, or \u and four
/// hex digits (ESC is \u001b). Objects keep the exact text; only what is shown is escaped.
/// </summary>
public static class DisplayText
{
    /// <summary>
    /// <paramref name="text"/> with every control character (C0, DEL, C1), line and paragraph separator
    /// (U+2028, U+2029) and bidirectional control (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to
    /// U+2069) written as an escape; the same string when there is none, null for null. Zero-width
    /// joiners and spaces are left alone: they act on nothing but the glyphs around them, and emoji and
    /// several scripts need them.
    /// </summary>
    public static string? Inert(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var first = FirstActive(text);
        if (first < 0)
        {
            return text;
        }

        var shown = new StringBuilder(text.Length + 8);
        shown.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var character = text[i];
            if (IsActive(character))
            {
                AppendEscape(shown, character);
            }
            else
            {
                shown.Append(character);
            }
        }

        return shown.ToString();
    }

    /// <summary>True for a character <see cref="Inert"/> escapes.</summary>
    internal static bool IsActive(char character) => character switch
    {
        < ' ' or >= '\u007f' and <= '\u009f' => true,
        '\u061c' or '\u200e' or '\u200f' or '\u2028' or '\u2029' => true,
        >= '\u202a' and <= '\u202e' => true,
        >= '\u2066' and <= '\u2069' => true,
        _ => false,
    };

    private static int FirstActive(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (IsActive(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void AppendEscape(StringBuilder shown, char character)
    {
        switch (character)
        {
            case '\n':
                shown.Append("\\n");
                break;
            case '\r':
                shown.Append("\\r");
                break;
            case '\t':
                shown.Append("\\t");
                break;
            case '\b':
                shown.Append("\\b");
                break;
            case '\f':
                shown.Append("\\f");
                break;
            default:
                shown.Append("\\u").Append(((int)character).ToString("x4", CultureInfo.InvariantCulture));
                break;
        }
    }
}
