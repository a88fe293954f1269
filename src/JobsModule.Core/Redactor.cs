using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace JobsModule;

/// <summary>
/// Takes every key the module knows out of text that came from a server (error bodies, headers,
/// values), before it reaches a message, an exception, a warning or debug output: a misconfigured
/// server may repeat a key back ("Invalid API key: Bearer sk-..."). A bearer token the module does
/// not know is masked too.
/// </summary>
internal sealed class Redactor
{
    public const string Mask = "(redacted)";

    // Keys shorter than this are not searched for: a one- or two-character "key" would mask ordinary words.
    private const int ShortestKey = 4;

    private static readonly Regex BearerToken = new(@"(?i)\b(Bearer\s+)[^\s""',;]+", RegexOptions.CultureInvariant);

    private readonly string[] _keys;

    public Redactor(IEnumerable<string?> keys)
    {
        // Longest first, so that a key that contains another is masked whole.
        _keys = keys
            .Where(key => key is { Length: >= ShortestKey })
            .Select(key => key!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(key => key.Length)
            .ToArray();
    }

    public static Redactor None { get; } = new(Array.Empty<string>());

    /// <summary>A redactor that also knows <paramref name="key"/> (the key of the request at hand).</summary>
    public Redactor With(string? key) =>
        key is null || key.Length < ShortestKey || Array.IndexOf(_keys, key) >= 0 ? this : new Redactor(_keys.Append(key));

    public string Redact(string text)
    {
        foreach (var key in _keys)
        {
            if (text.IndexOf(key, StringComparison.Ordinal) >= 0)
            {
                text = text.Replace(key, Mask);
            }
        }

        return BearerToken.Replace(text, "$1" + Mask);
    }

    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);
}
