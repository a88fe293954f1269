using System.Collections.Concurrent;

namespace ProviderSimulator.Simulation;

/// <summary>
/// One provider's deterministic dataset. Nothing per job is stored: a job is its index i
/// (0 = newest) and every field is computed from (provider, seed, i) when it is written. Only the
/// per-status index lists and Unstructured's shuffled order are materialized, lazily, as int arrays.
/// </summary>
internal sealed class JobDataset
{
    public const int DefaultCount = 25;
    public const long DefaultSeed = 1;
    public const int MaxCount = 1_000_000;

    /// <summary>7 min 13.457 s: a few thousand jobs span weeks, and every timestamp has milliseconds.</summary>
    public const long StepMs = 7 * 60_000 + 13_457;

    /// <summary>Every 17th job (i % 17 == 8) gets a status outside the documented enum, so clients meet "Unknown".</summary>
    private const int UndocumentedEvery = 17;
    private const int UndocumentedPhase = 8;

    private readonly string[] _statuses;          // documented values first, then the undocumented ones
    private readonly int _documentedCount;
    private readonly ulong _key;
    private readonly ConcurrentDictionary<int, IndexSet> _byStatus = new();
    private readonly object _shuffleLock = new();
    private int[]? _shuffled;

    public JobDataset(string providerId, string[] documented, string[] undocumented, int count, long seed, long anchorMs)
    {
        _statuses = [.. documented, .. undocumented];
        _documentedCount = documented.Length;
        Count = count;
        Seed = seed;
        AnchorMs = anchorMs;
        _key = SimHash.Combine(SimHash.OfString(providerId), (ulong)seed);
        Ids = new Scrambler32(_key);
        All = IndexSet.Range(count);
    }

    public int Count { get; }
    public long Seed { get; }

    /// <summary>Creation time of job 0, Unix milliseconds.</summary>
    public long AnchorMs { get; }

    public Scrambler32 Ids { get; }
    public IndexSet All { get; }

    /// <summary>Anchor = generation time truncated to whole seconds, minus one minute.</summary>
    public static long AnchorFor(DateTimeOffset now) => (now.ToUnixTimeMilliseconds() / 1000 * 1000) - 60_000;

    /// <summary>Strictly decreasing with i, unique even when truncated to whole seconds (step > 1 s).</summary>
    public long CreatedMs(int i) => AnchorMs - (i * StepMs);

    /// <summary>Independent pseudo-random stream per (job, purpose).</summary>
    public ulong Rand(int i, int stream) => SimHash.Combine(_key, (ulong)(uint)i, (ulong)stream);

    /// <summary>Random values not tied to one job (e.g. Unstructured's workflows): slots never collide with job indices.</summary>
    public ulong SideRand(int slot, int stream) => Rand(-1 - slot, stream);

    /// <summary>Which round of the status cycle job i is in: spreads variants (error forms, messages) over each status.</summary>
    public int Cycle(int i) => i / _documentedCount;

    public int StatusCode(int i)
    {
        if (i % UndocumentedEvery == UndocumentedPhase && _statuses.Length > _documentedCount)
        {
            return _documentedCount + (i / UndocumentedEvery % (_statuses.Length - _documentedCount));
        }
        return i % _documentedCount;
    }

    public string Status(int i) => _statuses[StatusCode(i)];

    /// <summary>Code of a documented status (case-sensitive, as the providers' enums are), or -1.</summary>
    public int DocumentedStatusCode(string value)
    {
        for (int k = 0; k < _documentedCount; k++)
        {
            if (string.Equals(_statuses[k], value, StringComparison.Ordinal))
            {
                return k;
            }
        }
        return -1;
    }

    /// <summary>The ascending indices of jobs with the given status; built once per status on first use.</summary>
    public IndexSet WithStatus(int code) => _byStatus.GetOrAdd(code, static (c, d) => d.BuildStatusIndex(c), this);

    private IndexSet BuildStatusIndex(int code)
    {
        var list = new List<int>(Count / Math.Max(1, _documentedCount) + 1);
        for (int i = 0; i < Count; i++)
        {
            if (StatusCode(i) == code)
            {
                list.Add(i);
            }
        }
        return IndexSet.Of([.. list]);
    }

    /// <summary>A seed-determined permutation of all indices (Fisher-Yates over a SplitMix stream).</summary>
    public int[] Shuffled()
    {
        int[]? order = Volatile.Read(ref _shuffled);
        if (order is not null)
        {
            return order;
        }
        lock (_shuffleLock)
        {
            if (_shuffled is null)
            {
                order = new int[Count];
                for (int i = 0; i < order.Length; i++)
                {
                    order[i] = i;
                }
                ulong state = SimHash.Mix(_key ^ 0x5EEDu);
                for (int i = order.Length - 1; i > 0; i--)
                {
                    state = SimHash.Mix(state);
                    int j = (int)(state % (ulong)(i + 1));
                    (order[i], order[j]) = (order[j], order[i]);
                }
                Volatile.Write(ref _shuffled, order);
            }
            return _shuffled;
        }
    }

    /// <summary>
    /// The first index whose creation time is strictly before the given instant (Unix ticks, 100 ns),
    /// computed arithmetically so a timestamp cursor costs nothing even on a million jobs.
    /// </summary>
    public int FirstIndexCreatedBefore(long unixTicks)
    {
        long anchorTicks = AnchorMs * TimeSpan.TicksPerMillisecond;
        long stepTicks = StepMs * TimeSpan.TicksPerMillisecond;
        long gap = anchorTicks - unixTicks;
        if (gap < 0)
        {
            return 0;
        }
        long first = (gap / stepTicks) + 1;
        return (int)Math.Min(first, Count);
    }
}

/// <summary>An ascending set of job indices: either 0..n-1 or an explicit sorted array.</summary>
internal sealed class IndexSet
{
    private readonly int[]? _items;
    private readonly int _count;

    private IndexSet(int[]? items, int count)
    {
        _items = items;
        _count = count;
    }

    public static IndexSet Range(int count) => new(null, count);

    public static IndexSet Of(int[] sortedIndices) => new(sortedIndices, sortedIndices.Length);

    public int Length => _count;

    public int this[int position] => _items is null ? position : _items[position];

    /// <summary>First position whose index is >= the given index.</summary>
    public int LowerBound(int index)
    {
        if (_items is null)
        {
            return Math.Clamp(index, 0, _count);
        }
        int pos = Array.BinarySearch(_items, index);
        return pos >= 0 ? pos : ~pos;
    }

    /// <summary>Indices of the set from <paramref name="from"/> (inclusive) onward, ascending (dir 1) or descending (dir -1).</summary>
    public IEnumerable<int> Walk(int from, int dir)
    {
        if (dir > 0)
        {
            for (int pos = LowerBound(from); pos < _count; pos++)
            {
                yield return this[pos];
            }
        }
        else
        {
            if (from < 0)
            {
                yield break;
            }
            for (int pos = LowerBound(from + 1) - 1; pos >= 0; pos--)
            {
                yield return this[pos];
            }
        }
    }
}
