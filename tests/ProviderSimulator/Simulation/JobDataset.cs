using System.Collections.Concurrent;

namespace ProviderSimulator.Simulation;

/// <summary>
/// One provider's deterministic dataset, as an immutable snapshot. Nothing per job is stored: a job
/// is its key k and every field is computed from (provider, seed, k) when it is written.
/// <para>
/// Keys versus positions. A generated dataset has keys 0..BaseCount-1, key 0 the newest, and there a
/// job's list position equals its key. The insertBetweenPages / deleteBetweenPages faults derive new
/// snapshots: inserted jobs get fresh keys BaseCount, BaseCount+1, ... (never reused, so ids stay
/// unique) and sit at the head of the list; deleting removes the newest jobs. The list is then
/// [visible inserted keys, newest first] followed by [base keys BaseStart..BaseCount-1], so a position
/// maps to a key with one comparison (plus a binary search over the few inserted runs). Positions are
/// what paging and IndexSets use; keys are what item fields are computed from.
/// </para>
/// Only the per-status key lists of the generated jobs and Unstructured's shuffled order are
/// materialized, lazily, as int arrays; the status lists are shared by every derived snapshot.
/// </summary>
internal sealed class JobDataset
{
    public const int DefaultCount = 25;
    public const long DefaultSeed = 1;
    public const int MaxCount = 1_000_000;

    /// <summary>Most jobs insertBetweenPages can add to one generated dataset in total (further inserts are skipped).</summary>
    public const int MaxInserted = 1_000_000;

    /// <summary>7 min 13.457 s: a few thousand jobs span weeks, and every timestamp has milliseconds.</summary>
    public const long StepMs = 7 * 60_000 + 13_457;

    /// <summary>Inserted jobs are 1.007 s apart, starting 1.007 s after the newest generated job.</summary>
    public const long InsertStepMs = 1_007;

    /// <summary>Every 17th job (k % 17 == 8) gets a status outside the documented enum, so clients meet "Unknown".</summary>
    private const int UndocumentedEvery = 17;
    private const int UndocumentedPhase = 8;

    private readonly BaseData _base;
    private readonly InsertedRun[] _runs;         // visible inserted keys, newest first
    private readonly int _insertedVisible;        // positions 0.._insertedVisible-1 are inserted jobs
    private readonly int _baseStart;              // first visible generated key (generated keys below it were deleted)
    private readonly int _nextKey;                // the key the next inserted job gets
    private readonly ConcurrentDictionary<int, IndexSet> _byStatus = new();
    private readonly Lock _shuffleLock = new();
    private int[]? _shuffled;

    public JobDataset(string providerId, string[] documented, string[] undocumented, int count, long seed, long anchorMs)
        : this(new BaseData(providerId, documented, undocumented, count, seed, anchorMs), [], 0, count)
    {
    }

    private JobDataset(BaseData data, InsertedRun[] runs, int baseStart, int nextKey)
    {
        _base = data;
        _runs = runs;
        _insertedVisible = runs.Length == 0 ? 0 : runs[^1].Start + runs[^1].Length;
        _baseStart = baseStart;
        _nextKey = nextKey;
        Count = _insertedVisible + (data.Count - baseStart);
        All = IndexSet.Range(Count);
    }

    /// <summary>Jobs currently listed.</summary>
    public int Count { get; }

    public long Seed => _base.Seed;

    /// <summary>Creation time of generated job 0, Unix milliseconds.</summary>
    public long AnchorMs => _base.AnchorMs;

    /// <summary>Jobs the dataset was generated with (keys 0..BaseCount-1).</summary>
    public int BaseCount => _base.Count;

    /// <summary>Jobs inserted so far (visible or since deleted).</summary>
    public int InsertedTotal => _nextKey - _base.Count;

    public Scrambler32 Ids => _base.Ids;

    /// <summary>Every position, 0..Count-1.</summary>
    public IndexSet All { get; }

    /// <summary>Anchor = generation time truncated to whole seconds, minus one minute.</summary>
    public static long AnchorFor(DateTimeOffset now) => (now.ToUnixTimeMilliseconds() / 1000 * 1000) - 60_000;

    /// <summary>The key of the job at a list position (0 = newest).</summary>
    public int Key(int position)
    {
        if (position >= _insertedVisible)
        {
            return _baseStart + (position - _insertedVisible);
        }
        InsertedRun run = _runs[FindRun(position)];
        return run.NewestKey - (position - run.Start);
    }

    /// <summary>
    /// Where a job that exists or once existed (was deleted) sits relative to the listed jobs:
    /// <paramref name="newer"/> listed jobs are newer than it, and <paramref name="listed"/> says
    /// whether it is itself still listed (then its position is <paramref name="newer"/>). False for keys
    /// that never existed.
    /// </summary>
    public bool TryLocate(int key, out int newer, out bool listed)
    {
        newer = 0;
        listed = false;
        if (key < 0 || key >= _nextKey)
        {
            return false;
        }
        if (key < _base.Count)
        {
            listed = key >= _baseStart;
            newer = _insertedVisible + (listed ? key - _baseStart : 0);
            return true;
        }
        foreach (InsertedRun run in _runs)
        {
            if (key > run.NewestKey)
            {
                newer = run.Start;      // deleted; newer than this run and every older one
                return true;
            }
            if (key > run.NewestKey - run.Length)
            {
                newer = run.Start + (run.NewestKey - key);
                listed = true;
                return true;
            }
        }
        newer = _insertedVisible;       // deleted; older than every listed inserted job
        return true;
    }

    /// <summary>Keys in list order, newest first.</summary>
    public IEnumerable<int> KeysInOrder()
    {
        for (int pos = 0; pos < Count; pos++)
        {
            yield return Key(pos);
        }
    }

    /// <summary>Strictly decreasing along the list, unique even when truncated to whole seconds (steps > 1 s).</summary>
    public long CreatedMs(int key) => key < _base.Count
        ? _base.AnchorMs - (key * StepMs)
        : _base.AnchorMs + ((long)(key - _base.Count + 1) * InsertStepMs);

    /// <summary>Independent pseudo-random stream per (job, purpose).</summary>
    public ulong Rand(int key, int stream) => SimHash.Combine(_base.Key, (ulong)(uint)key, (ulong)stream);

    /// <summary>Random values not tied to one job (e.g. Unstructured's workflows): slots never collide with job keys.</summary>
    public ulong SideRand(int slot, int stream) => Rand(-1 - slot, stream);

    /// <summary>Which round of the status cycle job k is in: spreads variants (error forms, messages) over each status.</summary>
    public int Cycle(int key) => key / _base.DocumentedCount;

    public int StatusCode(int key) => _base.StatusCode(key);

    public string Status(int key) => _base.Statuses[StatusCode(key)];

    /// <summary>Code of a documented status (case-sensitive, as the providers' enums are), or -1.</summary>
    public int DocumentedStatusCode(string value)
    {
        for (int k = 0; k < _base.DocumentedCount; k++)
        {
            if (string.Equals(_base.Statuses[k], value, StringComparison.Ordinal))
            {
                return k;
            }
        }
        return -1;
    }

    /// <summary>The ascending positions of jobs with the given status; built once per status and snapshot.</summary>
    public IndexSet WithStatus(int code) => _byStatus.GetOrAdd(code, static (c, d) => d.BuildStatusIndex(c), this);

    private IndexSet BuildStatusIndex(int code)
    {
        int[] generated = _base.KeysWithStatus(code);
        if (_runs.Length == 0 && _baseStart == 0)
        {
            return IndexSet.Of(generated);
        }
        var head = new List<int>();
        for (int pos = 0; pos < _insertedVisible; pos++)
        {
            if (StatusCode(Key(pos)) == code)
            {
                head.Add(pos);
            }
        }
        int from = Array.BinarySearch(generated, _baseStart);
        from = from >= 0 ? from : ~from;
        return IndexSet.Composite([.. head], generated, from, generated.Length - from, _insertedVisible - _baseStart);
    }

    /// <summary>
    /// Every listed key in a seed-determined order (Fisher-Yates over a SplitMix stream). For a
    /// generated dataset this is a permutation of 0..Count-1; after inserts or deletes the listed keys
    /// are shuffled afresh.
    /// </summary>
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
                for (int pos = 0; pos < order.Length; pos++)
                {
                    order[pos] = Key(pos);
                }
                ulong state = SimHash.Mix(_base.Key ^ 0x5EEDu);
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
    /// The first position whose creation time is strictly before the given instant (Unix ticks, 100 ns),
    /// computed arithmetically so a timestamp cursor costs nothing even on a million jobs.
    /// </summary>
    public int FirstIndexCreatedBefore(long unixTicks)
    {
        // Inserted jobs are all newer than the generated ones: binary search them (times fall along the list).
        if (_insertedVisible > 0 && CreatedMs(Key(_insertedVisible - 1)) * TimeSpan.TicksPerMillisecond < unixTicks)
        {
            int lo = 0, hi = _insertedVisible - 1;
            while (lo < hi)
            {
                int mid = lo + ((hi - lo) / 2);
                if (CreatedMs(Key(mid)) * TimeSpan.TicksPerMillisecond < unixTicks)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }
            return lo;
        }
        long anchorTicks = _base.AnchorMs * TimeSpan.TicksPerMillisecond;
        long stepTicks = StepMs * TimeSpan.TicksPerMillisecond;
        long gap = anchorTicks - unixTicks;
        long first = gap < 0 ? 0 : Math.Min((gap / stepTicks) + 1, _base.Count);
        return _insertedVisible + (int)(Math.Max(first, _baseStart) - _baseStart);
    }

    /// <summary>
    /// A new snapshot with the <paramref name="delete"/> newest jobs removed and then
    /// <paramref name="insert"/> new jobs added at the head (newer than every job so far, fresh keys).
    /// </summary>
    public JobDataset Mutate(int delete, int insert, out int deleted, out int inserted)
    {
        var runs = new List<InsertedRun>(_runs);
        int baseStart = _baseStart;
        deleted = 0;
        while (deleted < delete && runs.Count > 0)
        {
            InsertedRun front = runs[0];
            int take = Math.Min(front.Length, delete - deleted);
            deleted += take;
            if (take == front.Length)
            {
                runs.RemoveAt(0);
            }
            else
            {
                runs[0] = front with { NewestKey = front.NewestKey - take, Length = front.Length - take };
            }
        }
        if (deleted < delete)
        {
            int take = Math.Min(_base.Count - baseStart, delete - deleted);
            baseStart += take;
            deleted += take;
        }

        int nextKey = _nextKey;
        inserted = Math.Min(insert, MaxInserted - InsertedTotal);
        if (inserted > 0)
        {
            int newest = nextKey + inserted - 1;
            if (runs.Count > 0 && runs[0].NewestKey == nextKey - 1)
            {
                runs[0] = new InsertedRun(0, newest, runs[0].Length + inserted);   // the head run simply grows
            }
            else
            {
                runs.Insert(0, new InsertedRun(0, newest, inserted));
            }
            nextKey += inserted;
        }

        var placed = new InsertedRun[runs.Count];
        int start = 0;
        for (int r = 0; r < placed.Length; r++)
        {
            placed[r] = runs[r] with { Start = start };
            start += runs[r].Length;
        }
        return new JobDataset(_base, placed, baseStart, nextKey);
    }

    private int FindRun(int position)
    {
        int lo = 0, hi = _runs.Length - 1;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo + 1) / 2);
            if (_runs[mid].Start <= position)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /// <summary>Consecutive inserted keys NewestKey, NewestKey-1, ... listed from position Start on.</summary>
    private readonly record struct InsertedRun(int Start, int NewestKey, int Length);

    /// <summary>What every snapshot derived from one generation shares.</summary>
    private sealed class BaseData
    {
        private readonly ConcurrentDictionary<int, int[]> _keysByStatus = new();

        public BaseData(string providerId, string[] documented, string[] undocumented, int count, long seed, long anchorMs)
        {
            Statuses = [.. documented, .. undocumented];
            DocumentedCount = documented.Length;
            Count = count;
            Seed = seed;
            AnchorMs = anchorMs;
            Key = SimHash.Combine(SimHash.OfString(providerId), (ulong)seed);
            Ids = new Scrambler32(Key);
        }

        public string[] Statuses { get; }           // documented values first, then the undocumented ones
        public int DocumentedCount { get; }
        public int Count { get; }
        public long Seed { get; }
        public long AnchorMs { get; }
        public ulong Key { get; }
        public Scrambler32 Ids { get; }

        public int StatusCode(int key)
        {
            if (key % UndocumentedEvery == UndocumentedPhase && Statuses.Length > DocumentedCount)
            {
                return DocumentedCount + (key / UndocumentedEvery % (Statuses.Length - DocumentedCount));
            }
            return key % DocumentedCount;
        }

        /// <summary>The ascending generated keys with the given status; built once per status on first use.</summary>
        public int[] KeysWithStatus(int code) => _keysByStatus.GetOrAdd(code, static (c, b) => b.Build(c), this);

        private int[] Build(int code)
        {
            var list = new List<int>(Count / Math.Max(1, DocumentedCount) + 1);
            for (int k = 0; k < Count; k++)
            {
                if (StatusCode(k) == code)
                {
                    list.Add(k);
                }
            }
            return [.. list];
        }
    }
}

/// <summary>
/// An ascending set of list positions: an explicit sorted head, followed by a tail that is either a
/// range or a slice of a sorted array, shifted by a constant (how a snapshot with inserted jobs reuses
/// the generated jobs' status lists without copying them).
/// </summary>
internal sealed class IndexSet
{
    private static readonly int[] NoHead = [];

    private readonly int[] _head;
    private readonly int[]? _tail;      // null: the tail is the range 0.._tailCount-1
    private readonly int _tailFrom;
    private readonly int _tailCount;
    private readonly int _shift;

    private IndexSet(int[] head, int[]? tail, int tailFrom, int tailCount, int shift)
    {
        _head = head;
        _tail = tail;
        _tailFrom = tailFrom;
        _tailCount = tailCount;
        _shift = shift;
    }

    public static IndexSet Range(int count) => new(NoHead, null, 0, count, 0);

    public static IndexSet Of(int[] sortedIndices) => new(NoHead, sortedIndices, 0, sortedIndices.Length, 0);

    /// <summary>head, then tail[from..from+count-1] + shift; every head value is below every tail value.</summary>
    public static IndexSet Composite(int[] head, int[] tail, int from, int count, int shift) => new(head, tail, from, count, shift);

    public int Length => _head.Length + _tailCount;

    public int this[int position] => position < _head.Length ? _head[position] : TailValue(position - _head.Length);

    private int TailValue(int k) => (_tail is null ? k : _tail[_tailFrom + k]) + _shift;

    /// <summary>First position whose index is >= the given index.</summary>
    public int LowerBound(int index)
    {
        if (_head.Length > 0 && index <= _head[^1])
        {
            int h = Array.BinarySearch(_head, index);
            return h >= 0 ? h : ~h;
        }
        int target = index - _shift;
        int t;
        if (_tail is null)
        {
            t = Math.Clamp(target, 0, _tailCount);
        }
        else
        {
            t = Array.BinarySearch(_tail, _tailFrom, _tailCount, target);
            t = (t >= 0 ? t : ~t) - _tailFrom;
        }
        return _head.Length + t;
    }

    /// <summary>Indices of the set from <paramref name="from"/> (inclusive) onward, ascending (dir 1) or descending (dir -1).</summary>
    public IEnumerable<int> Walk(int from, int dir)
    {
        if (dir > 0)
        {
            for (int pos = LowerBound(from); pos < Length; pos++)
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
