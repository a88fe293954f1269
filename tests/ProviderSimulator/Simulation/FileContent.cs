using System.Security.Cryptography;

namespace ProviderSimulator.Simulation;

/// <summary>
/// The bytes of the file host's files, computed, never stored: one block of noise made once, and a file
/// is that block read round from an offset its path decides. Any size costs nothing on disk or in
/// memory, serving is slicing, and two paths give different bytes.
/// </summary>
internal static class FileContent
{
    /// <summary>How much is handed to the response at once.</summary>
    public const int ChunkSize = 256 * 1024;

    // A prime period, so that a file's bytes never line up with a power-of-two buffer.
    private const int Period = 1_048_573;

    // The period, then its first ChunkSize bytes again, so that every slice of up to ChunkSize is contiguous.
    private static readonly byte[] Block = MakeBlock();

    /// <summary>Where in the block the file at <paramref name="path"/> starts.</summary>
    public static int Offset(string path) => (int)(SimHash.OfString(path) % Period);

    /// <summary>Bytes [<paramref name="from"/>, +<paramref name="count"/>) of the file that starts at <paramref name="offset"/>; count at most <see cref="ChunkSize"/>.</summary>
    public static ReadOnlyMemory<byte> Slice(int offset, long from, int count) =>
        Block.AsMemory((int)((offset + from) % Period), count);

    /// <summary>The SHA-256 of the file at <paramref name="path"/> when it is <paramref name="length"/> bytes long, as upper-case hex (Get-FileHash's form).</summary>
    public static string Sha256(string path, long length)
    {
        int offset = Offset(path);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long at = 0; at < length;)
        {
            int count = (int)Math.Min(ChunkSize, length - at);
            hash.AppendData(Slice(offset, at, count).Span);
            at += count;
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static byte[] MakeBlock()
    {
        var block = new byte[Period + ChunkSize];
        ulong state = 0x5EEDF11E5UL;
        for (int k = 0; k < Period; k += 8)
        {
            state = SimHash.Mix(state + 0x9E3779B97F4A7C15UL);
            for (int b = 0; b < 8 && k + b < Period; b++)
            {
                block[k + b] = (byte)(state >> (8 * b));
            }
        }
        Array.Copy(block, 0, block, Period, ChunkSize);
        return block;
    }
}
