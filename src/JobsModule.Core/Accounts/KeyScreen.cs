using System.Text;

namespace JobsModule.Accounts;

/// <summary>
/// The byte-level half of <see cref="Redactor"/>: whether UTF-8 JSON text may hold anything the
/// redactor would mask, asked of every page a listing reads, so it is a vectorised search for a few
/// rare bytes, and whole comparisons only where one is found:
/// <list type="bullet">
/// <item>a key, looked for at its anchor: its rarest byte in JSON text (ids are hex, words lower case);</item>
/// <item>a bearer token: "bearer" in any case followed by white space, looked for at the white space
/// (a space, an escape, or the first byte of a non-ASCII space);</item>
/// <item>an escape that could spell either: \u, or \" \\ \/ where a key holds that character.</item>
/// </list>
/// </summary>
internal sealed class KeyScreen
{
    // ASCII bytes from the most common in JSON text (structure, digits and hex of times and ids, lower
    // case names and words) to the rarest; a byte not listed (upper case, most punctuation) is rarer still.
    private const string CommonFirst = "\":,{}[]0123456789abcdef-.tonisrlumphg_ywkvxzqj";

    // The first byte of every non-ASCII character .NET counts as white space in UTF-8 (U+0085, U+00A0,
    // U+1680, U+2000-U+205F, U+3000).
    private static readonly byte[] WideSpaceStarts = { 0xC2, 0xE1, 0xE2, 0xE3 };

    private static readonly byte[] Bearer = Encoding.ASCII.GetBytes("bearer");

    // JSON's two-character escapes: the letter after the backslash, and the character it stands for.
    private static readonly (byte Letter, char Stands)[] ShortEscapes =
    {
        ((byte)'"', '"'), ((byte)'\\', '\\'), ((byte)'/', '/'), ((byte)'b', '\b'), ((byte)'f', '\f'), ((byte)'n', '\n'), ((byte)'r', '\r'), ((byte)'t', '\t'),
    };

    private readonly Anchored[] _keys;

    // Two searches, each of a few values so that it stays vectorised: ASCII anchors, then non-ASCII ones.
    private readonly byte[] _asciiSearched;
    private readonly byte[] _wideSearched;

    // The letters after a backslash whose escape stands for a character some key holds (\" \\ \/ ...).
    private readonly byte[] _hidingEscapes;

    public KeyScreen(IReadOnlyCollection<string> keys)
    {
        _keys = keys.Select(key => new Anchored(Encoding.UTF8.GetBytes(key))).ToArray();
        var anchors = _keys.Select(key => key.Anchor).ToArray();
        _asciiSearched = anchors.Where(anchor => anchor < 0x80).Concat(new[] { (byte)' ', (byte)'\\' }).Distinct().ToArray();
        _wideSearched = anchors.Where(anchor => anchor >= 0x80).Concat(WideSpaceStarts).Distinct().ToArray();
        _hidingEscapes = ShortEscapes
            .Where(escape => keys.Any(key => key.IndexOf(escape.Stands) >= 0))
            .Select(escape => escape.Letter)
            .ToArray();
    }

    /// <summary>False when no string of <paramref name="json"/> holds anything the redactor would mask.</summary>
    public bool MayMatch(ReadOnlySpan<byte> json) => AnyAt(json, _asciiSearched) || AnyAt(json, _wideSearched);

    private bool AnyAt(ReadOnlySpan<byte> json, byte[] searched)
    {
        var from = 0;
        while (json.Slice(from).IndexOfAny(searched) is var found and >= 0)
        {
            var at = from + found;
            if (StartsSomething(json, at))
            {
                return true;
            }

            from = at + 1;
        }

        return false;
    }

    /// <summary>Whether a key (by its anchor), the white space after "bearer", or a hiding escape is at <paramref name="at"/>.</summary>
    private bool StartsSomething(ReadOnlySpan<byte> json, int at)
    {
        var found = json[at];
        if (found == (byte)'\\' && at + 1 < json.Length && (json[at + 1] == (byte)'u' || Array.IndexOf(_hidingEscapes, json[at + 1]) >= 0))
        {
            return true;
        }

        // A space, an escape (\t, \n, ...) or a wide space right after "bearer" (the regex's \s+).
        if ((found is (byte)' ' or (byte)'\\' || Array.IndexOf(WideSpaceStarts, found) >= 0) && at >= Bearer.Length && EqualsIgnoringAsciiCase(json.Slice(at - Bearer.Length, Bearer.Length), Bearer))
        {
            return true;
        }

        foreach (var key in _keys)
        {
            if (key.Anchor == found && at >= key.Offset && json.Slice(at - key.Offset).StartsWith(key.Bytes))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EqualsIgnoringAsciiCase(ReadOnlySpan<byte> text, byte[] lower)
    {
        for (var i = 0; i < lower.Length; i++)
        {
            if ((text[i] | 0x20) != lower[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A key's bytes, and its anchor: its rarest byte in JSON text, and where in the key it is.</summary>
    private sealed class Anchored
    {
        public Anchored(byte[] bytes)
        {
            Bytes = bytes;
            for (var i = 1; i < bytes.Length; i++)
            {
                if (Rank(bytes[i]) > Rank(bytes[Offset]))
                {
                    Offset = i;
                }
            }

            Anchor = bytes[Offset];
        }

        public byte[] Bytes { get; }

        public int Offset { get; }

        public byte Anchor { get; }

        // Non-ASCII bytes rank with the common ones: an anchor among them would make a second search busy.
        private static int Rank(byte value) =>
            value >= 0x80 ? 0 : CommonFirst.IndexOf((char)value) is var common and >= 0 ? common : CommonFirst.Length;
    }
}
