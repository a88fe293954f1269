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
/// <para>
/// What tests change one job at a time rides along in <see cref="Extras"/>, copied on write: jobs
/// removed by a cancel (a generated key becomes a hole in the generated range; an inserted key
/// splits its run), statuses set by a cancel, and live jobs (POST /_sim/{provider}/live). Live jobs
/// take fresh keys like inserted ones, carry their own id and a status computed from the clock, and
/// are created "now": a time segment makes every key from theirs on count its creation time from
/// there, so creation times keep falling strictly along the list.
/// </para>
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
    private readonly Extras _x;
    private readonly ConcurrentDictionary<int, IndexSet> _byStatus = new();
    private readonly ConcurrentDictionary<int, int[]> _tailByStatus = new();
    private readonly Lock _shuffleLock = new();
    private int[]? _shuffled;

    /// <param name="finishedCodes">When given, every generated job takes one of these status codes in turn (an idle account, nothing left to finish); else the documented statuses cycle, with an undocumented one now and then.</param>
    public JobDataset(string providerId, string[] documented, string[] undocumented, int count, long seed, long anchorMs, int[]? finishedCodes = null)
        : this(new BaseData(providerId, documented, undocumented, count, seed, anchorMs, finishedCodes), [], 0, count, Extras.None)
    {
    }

    private JobDataset(BaseData data, InsertedRun[] runs, int baseStart, int nextKey, Extras extras)
    {
        _base = data;
        _runs = runs;
        _insertedVisible = runs.Length == 0 ? 0 : runs[^1].Start + runs[^1].Length;
        _baseStart = baseStart;
        _nextKey = nextKey;
        _x = extras;
        Count = _insertedVisible + (data.Count - baseStart - extras.Holes.Length);
        All = IndexSet.Range(Count);
    }

    /// <summary>Jobs currently listed.</summary>
    public int Count { get; }

    public long Seed => _base.Seed;

    /// <summary>Creation time of generated job 0, Unix milliseconds.</summary>
    public long AnchorMs => _base.AnchorMs;

    /// <summary>Jobs the dataset was generated with (keys 0..BaseCount-1).</summary>
    public int BaseCount => _base.Count;

    /// <summary>Jobs inserted so far (visible or since deleted), live jobs included.</summary>
    public int InsertedTotal => _nextKey - _base.Count;

    /// <summary>The key the next inserted or live job gets.</summary>
    public int NextKey => _nextKey;

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
            int j = position - _insertedVisible;
            return _x.Holes.Length == 0 ? _baseStart + j : BaseKeyAt(_baseStart, _x.Holes, j);
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
            if (key < _baseStart)
            {
                newer = _insertedVisible;
                return true;
            }
            listed = !IsHole(key);
            newer = _insertedVisible + (key - _baseStart - HolesBelow(key));
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

    /// <summary>True when the job with this key is listed now.</summary>
    public bool IsListed(int key) => TryLocate(key, out _, out bool listed) && listed;

    /// <summary>Strictly decreasing along the list, unique even when truncated to whole seconds (steps > 1 s).</summary>
    public long CreatedMs(int key)
    {
        if (key < _base.Count)
        {
            return _base.AnchorMs - (key * StepMs);
        }
        TimeSegment[] segments = _x.Segments;
        for (int s = segments.Length - 1; s >= 0; s--)
        {
            if (segments[s].FirstKey <= key)
            {
                return segments[s].BaseMs + ((long)(key - segments[s].FirstKey + 1) * InsertStepMs);
            }
        }
        return _base.AnchorMs + ((long)(key - _base.Count + 1) * InsertStepMs);
    }

    /// <summary>Independent pseudo-random stream per (job, purpose).</summary>
    public ulong Rand(int key, int stream) => SimHash.Combine(_base.Key, (ulong)(uint)key, (ulong)stream);

    /// <summary>Random values not tied to one job (e.g. Unstructured's workflows): slots never collide with job keys.</summary>
    public ulong SideRand(int slot, int stream) => Rand(-1 - slot, stream);

    /// <summary>Which round of the status cycle job k is in: spreads variants (error forms, messages) over each status.</summary>
    public int Cycle(int key) => key / _base.DocumentedCount;

    /// <summary>
    /// The job's status now (see <see cref="LiveClock"/>): a cancel's status, a live job's current one,
    /// or the generated cycle. An index into the status table, or -1 for a live job's raw middle status
    /// outside it.
    /// </summary>
    public int StatusCode(int key)
    {
        if (_x.Overrides.Count > 0 && _x.Overrides.TryGetValue(key, out StatusOverride set))
        {
            return set.Code;
        }
        if (key >= _base.Count && _x.Live.Count > 0 && _x.Live.TryGetValue(key, out LiveJob? live))
        {
            return live.CodeAt(LiveClock.NowMs);
        }
        return _base.StatusCode(key);
    }

    public string Status(int key)
    {
        int code = StatusCode(key);
        return code >= 0 ? _base.Statuses[code] : Live(key)?.Middle ?? string.Empty;
    }

    /// <summary>The raw status with this code (documented values first, then the undocumented ones).</summary>
    public string StatusName(int code) => _base.Statuses[code];

    /// <summary>Code of any status the generated jobs use, documented or not (case-sensitive), or -1.</summary>
    public int AnyStatusCode(string value) => Array.IndexOf(_base.Statuses, value);

    /// <summary>The live job with this key, or null for generated and inserted jobs.</summary>
    public LiveJob? Live(int key) =>
        key >= _base.Count && _x.Live.Count > 0 && _x.Live.TryGetValue(key, out LiveJob? live) ? live : null;

    /// <summary>The key of the live job with this id (listed or not).</summary>
    public bool TryFindLive(string id, out int key)
    {
        key = -1;
        return _x.LiveIds.Count > 0 && _x.LiveIds.TryGetValue(id, out key);
    }

    /// <summary>
    /// When a live job was created, started and finished (a cancel finishes it), and how far it got,
    /// as of now; null for other jobs. Start and finish never precede creation.
    /// </summary>
    public LiveTimeline? Timeline(int key)
    {
        if (Live(key) is not LiveJob live)
        {
            return null;
        }
        long created = CreatedMs(key);
        bool cancelled = _x.Overrides.TryGetValue(key, out StatusOverride set);
        long at = cancelled ? set.AtMs : LiveClock.NowMs;
        LivePhase phase = live.PhaseAt(at);
        long? started = phase >= LivePhase.Running ? Math.Max(created, live.RunningFromMs) : null;
        long? finished = cancelled ? Math.Max(started ?? created, set.AtMs)
            : phase == LivePhase.Final ? Math.Max(started ?? created, live.FinalFromMs)
            : null;
        return new LiveTimeline(created, started, finished, live.ProgressAt(at));
    }

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
    /// <remarks>Not cached while the snapshot holds live jobs: their statuses move with the clock.</remarks>
    public IndexSet WithStatus(int code) => _x.Live.Count > 0
        ? BuildStatusIndex(code)
        : _byStatus.GetOrAdd(code, static (c, d) => d.BuildStatusIndex(c), this);

    private IndexSet BuildStatusIndex(int code)
    {
        int[] generated = _base.KeysWithStatus(code);
        bool plainBase = _x.Holes.Length == 0 && !_x.BaseOverridden;
        if (_runs.Length == 0 && _baseStart == 0 && plainBase)
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
        if (!plainBase)
        {
            int[] tail = _tailByStatus.GetOrAdd(code, static (c, d) => d.BuildTail(c), this);
            return IndexSet.Composite([.. head], tail, 0, tail.Length, 0);
        }
        int from = Array.BinarySearch(generated, _baseStart);
        from = from >= 0 ? from : ~from;
        return IndexSet.Composite([.. head], generated, from, generated.Length - from, _insertedVisible - _baseStart);
    }

    /// <summary>Positions of the listed generated jobs with this status, when cancels removed some or changed their status.</summary>
    private int[] BuildTail(int code)
    {
        int[] generated = _base.KeysWithStatus(code);
        int from = Array.BinarySearch(generated, _baseStart);
        var keys = new List<int>();
        for (int k = from >= 0 ? from : ~from; k < generated.Length; k++)
        {
            int key = generated[k];
            if (!IsHole(key) && !_x.Overrides.ContainsKey(key))
            {
                keys.Add(key);
            }
        }
        foreach ((int key, StatusOverride set) in _x.Overrides)
        {
            if (key >= _baseStart && key < _base.Count && set.Code == code && !IsHole(key))
            {
                keys.Add(key);
            }
        }
        keys.Sort();
        int[] positions = new int[keys.Count];
        for (int k = 0; k < positions.Length; k++)
        {
            positions[k] = _insertedVisible + (keys[k] - _baseStart - HolesBelow(keys[k]));
        }
        return positions;
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
        int firstKey = (int)Math.Max(first, _baseStart);
        return _insertedVisible + (firstKey - _baseStart - HolesBelow(firstKey));
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
        int[] holes = _x.Holes;
        if (deleted < delete)
        {
            int listedBase = _base.Count - baseStart - holes.Length;
            int take = Math.Min(listedBase, delete - deleted);
            if (take > 0)
            {
                baseStart = take == listedBase ? _base.Count : BaseKeyAt(baseStart, holes, take);
                int firstKept = Array.BinarySearch(holes, baseStart);
                holes = holes[(firstKept >= 0 ? firstKept : ~firstKept)..];
                deleted += take;
            }
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

        return new JobDataset(_base, Place(runs), baseStart, nextKey, _x.Holes.Length == holes.Length ? _x : _x with { Holes = holes });
    }

    /// <summary>
    /// A new snapshot with live jobs added at the head (<paramref name="headFirst"/>[0] newest), under
    /// the keys NextKey + Count - 1 down to NextKey. The newest is created at <paramref name="nowMs"/>
    /// (later if inserted jobs already lie in the future), the others 1.007 s apart before it.
    /// </summary>
    public JobDataset WithLiveJobs(IReadOnlyList<LiveJob> headFirst, long nowMs)
    {
        int n = headFirst.Count;
        if (n == 0)
        {
            return this;
        }
        long newestSoFar = _nextKey > _base.Count ? CreatedMs(_nextKey - 1) : _base.AnchorMs;
        long top = Math.Max(nowMs, newestSoFar + (n * InsertStepMs));
        var live = new Dictionary<int, LiveJob>(_x.Live);
        var ids = new Dictionary<string, int>(_x.LiveIds, StringComparer.Ordinal);
        int newestKey = _nextKey + n - 1;
        for (int a = 0; a < n; a++)
        {
            live[newestKey - a] = headFirst[a];
            ids[headFirst[a].Id] = newestKey - a;
        }
        var runs = new List<InsertedRun>(_runs);
        if (runs.Count > 0 && runs[0].NewestKey == _nextKey - 1)
        {
            runs[0] = new InsertedRun(0, newestKey, runs[0].Length + n);
        }
        else
        {
            runs.Insert(0, new InsertedRun(0, newestKey, n));
        }
        Extras extras = _x with
        {
            Live = live,
            LiveIds = ids,
            Segments = [.. _x.Segments, new TimeSegment(_nextKey, top - (n * InsertStepMs))],
        };
        return new JobDataset(_base, Place(runs), _baseStart, _nextKey + n, extras);
    }

    /// <summary>A new snapshot where the live job with this key runs on another clock (see POST /_sim/{provider}/live/advance).</summary>
    public JobDataset WithLiveJob(int key, LiveJob job)
    {
        var live = new Dictionary<int, LiveJob>(_x.Live) { [key] = job };
        return new JobDataset(_base, _runs, _baseStart, _nextKey, _x with { Live = live });
    }

    /// <summary>True when a cancel set this job's status (it no longer moves).</summary>
    public bool IsOverridden(int key) => _x.Overrides.ContainsKey(key);

    /// <summary>A new snapshot where the job with this (listed) key has the given status, set at <paramref name="atMs"/>.</summary>
    public JobDataset WithStatusOverride(int key, int code, long atMs)
    {
        var overrides = new Dictionary<int, StatusOverride>(_x.Overrides) { [key] = new StatusOverride(code, atMs) };
        Extras extras = _x with { Overrides = overrides, BaseOverridden = _x.BaseOverridden || key < _base.Count };
        return new JobDataset(_base, _runs, _baseStart, _nextKey, extras);
    }

    /// <summary>A new snapshot without the job with this (listed) key; everything else keeps its place.</summary>
    public JobDataset Without(int key)
    {
        if (!IsListed(key))
        {
            return this;
        }
        if (key < _base.Count)
        {
            int at = ~Array.BinarySearch(_x.Holes, key);
            int[] holes = [.. _x.Holes[..at], key, .. _x.Holes[at..]];
            return new JobDataset(_base, _runs, _baseStart, _nextKey, _x with { Holes = holes });
        }
        var runs = new List<InsertedRun>(_runs.Length + 1);
        foreach (InsertedRun run in _runs)
        {
            int offset = run.NewestKey - key;
            if (offset < 0 || offset >= run.Length)
            {
                runs.Add(run);
                continue;
            }
            // Split the run around the key: the newer part keeps its newest key, the older part starts below the key.
            if (offset > 0)
            {
                runs.Add(run with { Length = offset });
            }
            if (run.Length - offset - 1 > 0)
            {
                runs.Add(new InsertedRun(0, key - 1, run.Length - offset - 1));
            }
        }
        return new JobDataset(_base, Place(runs), _baseStart, _nextKey, _x);
    }

    /// <summary>Gives consecutive runs their list positions.</summary>
    private static InsertedRun[] Place(List<InsertedRun> runs)
    {
        var placed = new InsertedRun[runs.Count];
        int start = 0;
        for (int r = 0; r < placed.Length; r++)
        {
            placed[r] = runs[r] with { Start = start };
            start += runs[r].Length;
        }
        return placed;
    }

    /// <summary>The j-th listed generated key (j from 0) when <paramref name="holes"/> (ascending, all >= baseStart) are missing.</summary>
    private static int BaseKeyAt(int baseStart, int[] holes, int j)
    {
        int key = baseStart + j;
        foreach (int hole in holes)
        {
            if (hole > key)
            {
                break;
            }
            key++;
        }
        return key;
    }

    /// <summary>Removed generated keys below this one.</summary>
    private int HolesBelow(int key)
    {
        if (_x.Holes.Length == 0)
        {
            return 0;
        }
        int h = Array.BinarySearch(_x.Holes, key);
        return h >= 0 ? h : ~h;
    }

    private bool IsHole(int key) => _x.Holes.Length > 0 && Array.BinarySearch(_x.Holes, key) >= 0;

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

    /// <summary>Inserted keys from FirstKey on are created BaseMs + (k - FirstKey + 1) * 1.007 s (until the next segment).</summary>
    private readonly record struct TimeSegment(int FirstKey, long BaseMs);

    /// <summary>
    /// Per-job changes made by tests, shared by derived snapshots and copied on write (read-only once
    /// built). Holes: generated keys at or after the first listed one that a cancel removed, ascending.
    /// </summary>
    private sealed record Extras(
        int[] Holes,
        IReadOnlyDictionary<int, StatusOverride> Overrides,
        bool BaseOverridden,
        IReadOnlyDictionary<int, LiveJob> Live,
        IReadOnlyDictionary<string, int> LiveIds,
        TimeSegment[] Segments)
    {
        public static readonly Extras None = new(
            [], new Dictionary<int, StatusOverride>(), false, new Dictionary<int, LiveJob>(),
            new Dictionary<string, int>(StringComparer.Ordinal), []);
    }

    /// <summary>What every snapshot derived from one generation shares.</summary>
    private sealed class BaseData
    {
        private readonly ConcurrentDictionary<int, int[]> _keysByStatus = new();

        private readonly int[]? _finishedCodes;

        public BaseData(string providerId, string[] documented, string[] undocumented, int count, long seed, long anchorMs, int[]? finishedCodes)
        {
            _finishedCodes = finishedCodes is { Length: > 0 } ? finishedCodes : null;
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
            if (_finishedCodes is { } finished)
            {
                return finished[key % finished.Length];
            }
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
