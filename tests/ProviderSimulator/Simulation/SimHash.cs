namespace ProviderSimulator.Simulation;

/// <summary>
/// Deterministic hashing and id formatting. Jobs are never stored: every field is a pure
/// function of (provider, seed, index), which keeps a 1,000,000-job dataset at a few bytes.
/// </summary>
internal static class SimHash
{
    private const string HexDigits = "0123456789abcdef";

    /// <summary>Crockford base32 in lower case: no i, l, o, u, so ids look like real opaque ids.</summary>
    public const string Base32Digits = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>SplitMix64 finalizer: a good 64-bit mixer, stable across runtimes (unlike string.GetHashCode).</summary>
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Combine(ulong a, ulong b) => Mix(a ^ Mix(b));

    public static ulong Combine(ulong a, ulong b, ulong c) => Mix(Combine(a, b) ^ Mix(c + 0x632BE59BD9B4E019UL));

    /// <summary>FNV-1a: turns a salt string into a key, deterministically.</summary>
    public static ulong OfString(string s)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char c in s)
        {
            h = (h ^ c) * 0x100000001B3UL;
        }
        return Mix(h);
    }

    /// <summary>
    /// Writes a version-4-shaped UUID (36 chars). The first 8 hex digits are a bijection of the job
    /// index, which guarantees unique ids within a dataset; the rest is hash noise.
    /// </summary>
    public static void FormatUuid(Span<char> dest, uint unique, ulong noise1, ulong noise2)
    {
        Span<byte> nibbles = stackalloc byte[32];
        for (int k = 0; k < 8; k++)
        {
            nibbles[k] = (byte)((unique >> (28 - 4 * k)) & 0xF);
        }
        for (int k = 0; k < 16; k++)
        {
            nibbles[8 + k] = (byte)((noise1 >> (60 - 4 * k)) & 0xF);
        }
        for (int k = 0; k < 8; k++)
        {
            nibbles[24 + k] = (byte)((noise2 >> (60 - 4 * k)) & 0xF);
        }
        nibbles[12] = 4;                                    // version 4
        nibbles[16] = (byte)(0x8 | (nibbles[16] & 0x3));    // RFC 4122 variant

        int o = 0;
        for (int k = 0; k < 32; k++)
        {
            if (k is 8 or 12 or 16 or 20)
            {
                dest[o++] = '-';
            }
            dest[o++] = HexDigits[nibbles[k]];
        }
    }

    public static string Uuid(uint unique, ulong noise1, ulong noise2)
    {
        Span<char> buffer = stackalloc char[36];
        FormatUuid(buffer, unique, noise1, noise2);
        return new string(buffer);
    }
}

/// <summary>
/// A keyed bijection on 32-bit integers, so an id can carry its job index in disguise and be
/// turned back into the index (ittybit's after/before cursors) without an id -> index map.
/// </summary>
internal readonly struct Scrambler32
{
    private const uint M1 = 0x9E3779B1u;
    private const uint M2 = 0x85EBCA77u;
    private static readonly uint Inverse1 = MultiplicativeInverse(M1);
    private static readonly uint Inverse2 = MultiplicativeInverse(M2);

    private readonly uint _key;

    public Scrambler32(ulong key) => _key = (uint)(key ^ (key >> 32));

    // Each step is invertible: xor with a key, multiply by an odd number, xor-shift by half the width.
    public uint Forward(uint x)
    {
        x ^= _key;
        x *= M1;
        x ^= x >> 16;
        x *= M2;
        x ^= x >> 16;
        return x;
    }

    public uint Backward(uint y)
    {
        y ^= y >> 16;
        y *= Inverse2;
        y ^= y >> 16;
        y *= Inverse1;
        y ^= _key;
        return y;
    }

    // Newton iteration: each round doubles the number of correct low bits.
    private static uint MultiplicativeInverse(uint a)
    {
        uint x = a;
        for (int k = 0; k < 5; k++)
        {
            x *= 2u - a * x;
        }
        return x;
    }
}
