using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace JobsModule;

/// <summary>
/// The byte-level half of <see cref="Redactor"/>: whether UTF-8 JSON text may hold anything the
/// redactor would mask (a key's bytes, the word bearer in any case, or an escape that could spell either),
/// asked of every job on every page, so it is one vectorised search. Each key is looked for at its
/// rarest byte in JSON text (its anchor): the search finds every place an anchor, a b or B, or a
/// backslash is, and only there is a key, "bearer" or an escape compared whole.
/// </summary>
internal sealed class KeyScreen
{
    // Bytes from the most common in JSON text (structure, digits of times and ids, lowercase field names
    // and words) to the rarest; a byte not listed (upper case, most punctuation, non-ASCII) is rarer still.
    private const string CommonFirst = "\":,{}[] 0123456789-.etaoinsrlcdumphgT_Zbfywkvxzqj";

    private static readonly byte[] BearerTail = Encoding.ASCII.GetBytes("earer");

    // JSON's two-character escapes: the letter after the backslash, and the character it stands for.
    private static readonly (byte Letter, char Stands)[] ShortEscapes =
    {
        ((byte)'"', '"'), ((byte)'\\', '\\'), ((byte)'/', '/'), ((byte)'b', '\b'), ((byte)'f', '\f'), ((byte)'n', '\n'), ((byte)'r', '\r'), ((byte)'t', '\t'),
    };

    private readonly Anchored[] _keys;
    private readonly byte[] _searched;

    // The letters after a backslash whose escape stands for a character some key holds (\" \\ \/ ...).
    private readonly byte[] _hidingEscapes;

    public KeyScreen(IReadOnlyCollection<string> keys)
    {
        _keys = keys.Select(key => new Anchored(Encoding.UTF8.GetBytes(key))).ToArray();
        _searched = _keys.Select(key => key.Anchor).Concat(new[] { (byte)'b', (byte)'B', (byte)'\\' }).Distinct().ToArray();
        _hidingEscapes = ShortEscapes
            .Where(escape => keys.Any(key => key.IndexOf(escape.Stands) >= 0))
            .Select(escape => escape.Letter)
            .ToArray();
    }

    /// <summary>False when no string of <paramref name="json"/> holds anything the redactor would mask.</summary>
    public bool MayMatch(ReadOnlySpan<byte> json)
    {
        for (var at = json.IndexOfAny(_searched); at >= 0;)
        {
            if (StartsSomething(json, at))
            {
                return true;
            }

            var next = json.Slice(at + 1).IndexOfAny(_searched);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return false;
    }

    /// <summary>Whether a key (by its anchor), "bearer", or a hiding escape is at <paramref name="at"/>.</summary>
    private bool StartsSomething(ReadOnlySpan<byte> json, int at)
    {
        var found = json[at];
        if (found == (byte)'\\')
        {
            // \u can spell anything; a short escape only the character it stands for. (Either way the next
            // backslash is looked at too, which may only find more: it errs on the side of walking.)
            return at + 1 < json.Length && (json[at + 1] == (byte)'u' || Array.IndexOf(_hidingEscapes, json[at + 1]) >= 0);
        }

        if ((found | 0x20) == (byte)'b' && EqualsIgnoringAsciiCase(json.Slice(at + 1), BearerTail))
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
        if (text.Length < lower.Length)
        {
            return false;
        }

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
            Offset = 0;
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

        private static int Rank(byte value) => value < 128 && CommonFirst.IndexOf((char)value) is var common and >= 0 ? common : CommonFirst.Length;
    }
}
