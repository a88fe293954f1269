using System.Text.RegularExpressions;

namespace JobsModule.Accounts;

/// <summary>
/// Takes every key the module knows out of text that came from a server (error bodies, headers,
/// values, the jobs themselves), before it reaches a message, an exception, a warning, debug output
/// or an object: a misconfigured server may repeat a key back ("Invalid API key: Bearer sk-..."), and
/// whoever can create a job can put one in its fields. A bearer token the module does not know is
/// masked too.
/// </summary>
internal sealed class Redactor
{
    public const string Mask = "(redacted)";

    // Keys shorter than this are not searched for: a one- or two-character "key" would mask ordinary words.
    private const int ShortestKey = 4;

    private static readonly Regex BearerToken = new(@"(?i)\b(Bearer\s+)[^\s""',;]+", RegexOptions.CultureInvariant);

    private readonly string[] _keys;
    private KeyScreen? _screen;

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

    /// <summary>True when <paramref name="text"/> holds one of the keys as it is (not a bearer token it does not know).</summary>
    public bool HoldsKey(string text) => _keys.Any(key => text.IndexOf(key, StringComparison.Ordinal) >= 0);

    /// <summary>
    /// False when <see cref="Redact"/> would leave every string of this UTF-8 JSON text as it is: no key's
    /// bytes, no "bearer" in any case, and no escape that could spell either (a \u, or a \" \\ \/ where a
    /// key holds that character). One vectorised search over bytes already in memory (<see cref="KeyScreen"/>),
    /// so a listing can ask it of every job and walk only the rare one it says yes to.
    /// </summary>
    public bool MayMatch(ReadOnlySpan<byte> json) => (_screen ??= new KeyScreen(_keys)).MayMatch(json);
}
