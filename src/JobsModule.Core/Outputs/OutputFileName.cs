using System.Globalization;
using System.Text;

namespace JobsModule.Outputs;

/// <summary>
/// The one rule for a file name that came from outside (a server's name for a file, the end of a URL):
/// only a name is left, never a path, and one every file system here and on Windows takes as it is.
/// </summary>
internal static class OutputFileName
{
    /// <summary>
    /// The longest name, in UTF-8 bytes: file systems allow 255, and a name may still get " (99)" for a
    /// collision and ".partial-" with 8 hex digits while it is written.
    /// </summary>
    public const int MaxBytes = 200;

    /// <summary>Longer endings are no file extension worth keeping when a name is cut.</summary>
    private const int MaxExtension = 16;

    private const string LastResort = "output";

    // What Windows refuses in a name (besides controls and the separators, which go anyway).
    private const string Forbidden = "<>:\"|?*";

    private static readonly char[] Separators = { '/', '\\' };

    /// <summary>
    /// A safe name from <paramref name="raw"/>: its last path segment, without control, format (direction,
    /// zero-width) and unpaired surrogate characters or any Windows refuses, without the dots and spaces
    /// Windows drops at its end, never "." or "..", not a name Windows reserves for a device (CON,
    /// NUL, COM1...), and cut to <see cref="MaxBytes"/> keeping its extension. <paramref name="fallback"/>
    /// (made safe the same way) when nothing is left.
    /// </summary>
    public static string Safe(string? raw, string fallback)
    {
        var name = Clean(LastSegment(raw));
        if (name.Length > 0)
        {
            return name;
        }

        name = Clean(LastSegment(fallback));
        return name.Length > 0 ? name : LastResort;
    }

    /// <summary>
    /// A folder name for a job id, by the same rule as <see cref="Safe"/>, except that a path separator
    /// in the id becomes '_' instead of ending it there (ids "a/1" and "b/1" stay two folders), and so do
    /// its leading dots: a folder whose name starts with one is hidden on Linux and macOS, and a job's
    /// outputs would look as if nothing had been saved.
    /// </summary>
    public static string SafeFolder(string id)
    {
        var name = Clean(id.Replace('/', '_').Replace('\\', '_'));
        if (name.Length == 0)
        {
            return "job";
        }

        var dots = 0;
        while (dots < name.Length && name[dots] == '.')
        {
            dots++;
        }

        return new string('_', dots) + name.Substring(dots);
    }

    /// <summary>The last segment of a URL's path, unescaped once; null when the path ends in a slash or has none.</summary>
    public static string? FromUrl(Uri uri)
    {
        var path = uri.AbsolutePath;
        var slash = path.LastIndexOf('/');
        var last = slash < 0 ? path : path.Substring(slash + 1);
        return last.Length == 0 ? null : Uri.UnescapeDataString(last);
    }

    /// <summary>
    /// The name for the <paramref name="number"/>th output (from 2 on) that would otherwise have had
    /// <paramref name="name"/>: "photo (2).png". Still within <see cref="MaxBytes"/>.
    /// </summary>
    public static string Numbered(string name, int number)
    {
        var (stem, extension) = Split(name);
        var suffix = " (" + number.ToString(CultureInfo.InvariantCulture) + ")";
        return Fit(stem, suffix + extension);
    }

    /// <summary>Only the last segment: a server's "../../etc/passwd" or "C:\x\y.txt" names y.txt.</summary>
    private static string LastSegment(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return string.Empty;
        }

        var separator = raw!.LastIndexOfAny(Separators);
        return separator >= 0 ? raw.Substring(separator + 1) : raw;
    }

    private static string Clean(string text)
    {
        if (text.Length == 0)
        {
            return string.Empty;
        }

        var kept = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var character = text[i];
            if (char.IsHighSurrogate(character) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                kept.Append(character).Append(text[++i]);
            }
            else if (char.IsSurrogate(character) || char.IsControl(character) || Forbidden.IndexOf(character) >= 0
                || CharUnicodeInfo.GetUnicodeCategory(character) == UnicodeCategory.Format)
            {
                // A replacement, not a deletion: "a\u202Egnp.exe" must not become a name that reads as another.
                kept.Append('_');
            }
            else
            {
                kept.Append(character);
            }
        }

        // One spelling per name, so two spellings of "é" are one name when numbering collisions.
        var name = kept.ToString().Normalize(NormalizationForm.FormC).Trim(' ').TrimEnd('.', ' ');
        if (name.Length == 0 || name.Trim('.').Length == 0)
        {
            return string.Empty;
        }

        if (IsReservedOnWindows(name))
        {
            name = "_" + name;
        }

        var (stem, extension) = Split(name);
        return Fit(stem, extension);
    }

    /// <summary>The name without its extension, and the extension with its dot (empty when there is none worth keeping).</summary>
    private static (string Stem, string Extension) Split(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot > 0 && name.Length - dot <= MaxExtension ? (name.Substring(0, dot), name.Substring(dot)) : (name, string.Empty);
    }

    /// <summary><paramref name="stem"/> followed by <paramref name="ending"/>, the stem cut (never inside a surrogate pair) so that the whole fits <see cref="MaxBytes"/>.</summary>
    private static string Fit(string stem, string ending)
    {
        var room = MaxBytes - Encoding.UTF8.GetByteCount(ending);
        if (Encoding.UTF8.GetByteCount(stem) > room)
        {
            var length = 0;
            var bytes = 0;
            while (length < stem.Length)
            {
                var step = char.IsHighSurrogate(stem[length]) && length + 1 < stem.Length ? 2 : 1;
                var size = Encoding.UTF8.GetByteCount(stem.Substring(length, step));
                if (bytes + size > room)
                {
                    break;
                }

                bytes += size;
                length += step;
            }

            // Cut, the stem may end in what Windows drops: a dot or a space.
            stem = stem.Substring(0, length).TrimEnd('.', ' ');
            if (stem.Length == 0)
            {
                stem = LastResort;
            }
        }

        return stem + ending;
    }

    /// <summary>Names Windows gives to devices, with any extension (CON.txt is the console too), whatever the case.</summary>
    private static bool IsReservedOnWindows(string name)
    {
        var dot = name.IndexOf('.');
        var stem = (dot < 0 ? name : name.Substring(0, dot)).TrimEnd(' ').ToUpperInvariant();
        switch (stem)
        {
            case "CON" or "PRN" or "AUX" or "NUL" or "CONIN$" or "CONOUT$":
                return true;
            case { Length: 4 } when (stem.StartsWith("COM", StringComparison.Ordinal) || stem.StartsWith("LPT", StringComparison.Ordinal))
                && (stem[3] is >= '0' and <= '9' or '\u00b9' or '\u00b2' or '\u00b3'):
                return true;
            default:
                return false;
        }
    }
}
