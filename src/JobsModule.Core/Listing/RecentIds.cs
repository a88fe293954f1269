namespace JobsModule.Listing;

/// <summary>
/// The ids of the page being read and of the few pages before it, so that a job a shifting or
/// stepped-back page brings again is dropped as a repeat. Only a handful of pages are kept (their sets
/// are cleared and reused), so memory stays flat however long the listing.
/// </summary>
internal sealed class RecentIds
{
    private readonly HashSet<string>[] _pages = new HashSet<string>[OffsetSteps.MaxWindowPages + 1];
    private int _current;
    private HashSet<string> _currentIds;
    private HashSet<string>? _previousIds;

    public RecentIds()
    {
        for (var i = 0; i < _pages.Length; i++)
        {
            _pages[i] = new HashSet<string>(StringComparer.Ordinal);
        }

        _currentIds = _pages[0];
    }

    /// <summary>Page <paramref name="number"/> (from 1) is read now, from its start (again, when it is asked for anew).</summary>
    public void Start(int number)
    {
        _current = number;
        _currentIds = Of(number);
        _currentIds.Clear();
        _previousIds = number > 1 ? Of(number - 1) : null;
    }

    /// <summary>
    /// Records <paramref name="id"/> on the current page; true when it was there already (a page sent
    /// again hands its jobs again) or on one of the <paramref name="pagesBack"/> pages before (the one before, at least).
    /// </summary>
    public bool IsRepeat(string id, int pagesBack)
    {
        // Every job of a listing comes through here: the page before is checked without a loop.
        if (!_currentIds.Add(id) || (_previousIds is not null && _previousIds.Contains(id)))
        {
            return true;
        }

        for (var back = 2; back <= pagesBack && back < _current; back++)
        {
            if (Of(_current - back).Contains(id))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="id"/> was on page <paramref name="number"/>, one of the pages still remembered.</summary>
    public bool WasOn(int number, string id) =>
        number >= 1 && number < _current && _current - number < _pages.Length && Of(number).Contains(id);

    private HashSet<string> Of(int number) => _pages[number % _pages.Length];
}
