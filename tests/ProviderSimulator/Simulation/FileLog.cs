namespace ProviderSimulator.Simulation;

/// <summary>Thread-safe, append-only log of every request the file host got, in arrival order.</summary>
internal sealed class FileLog
{
    private readonly Lock _lock = new();
    private readonly List<FileLogEntry> _entries = [];
    private long _seq;

    public long NextSeq() => Interlocked.Increment(ref _seq);

    public void Add(FileLogEntry entry)
    {
        lock (_lock)
        {
            _entries.Add(entry);
        }
    }

    public List<FileLogEntry> Snapshot()
    {
        List<FileLogEntry> copy;
        lock (_lock)
        {
            copy = [.. _entries];
        }
        copy.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        return copy;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _seq, 0);
        }
    }
}
