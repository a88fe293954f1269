using System.Globalization;
using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests.Support;

/// <summary>
/// Convertly's job routes over a list held in memory that changes while it is listed, as the real
/// service's does: GET /api/jobs?limit=&amp;offset=&amp;status= pages the list as it is when each request
/// is served, GET /api/jobs/{id} reads one job, and DELETE /api/jobs/{id} removes a pending job (409
/// for any other status, 404 for one that is gone). After each list page, <see cref="BetweenPages"/>
/// may change the list (other clients), and <see cref="BeforePage"/> may hold a page back.
/// </summary>
internal sealed class ShiftingList
{
    private readonly object _gate = new();
    private readonly List<(string Id, string Status)> _jobs;
    private readonly Dictionary<string, int> _deletes = new(StringComparer.Ordinal);
    private readonly List<(long Offset, int Limit)> _pages = new();
    private int _inserted;

    /// <param name="statuses">The list, newest first: job i is "j{i}" with the status given.</param>
    public ShiftingList(IEnumerable<string> statuses)
    {
        _jobs = statuses.Select((status, i) => ("j" + i.ToString("D4", CultureInfo.InvariantCulture), status)).ToList();
        Original = _jobs.ToList();
        Stub = new StubHandler(RespondAsync);
    }

    public StubHandler Stub { get; }

    /// <summary>The list as it was made.</summary>
    public IReadOnlyList<(string Id, string Status)> Original { get; }

    /// <summary>Called after each list page is served, with the list and the page's number (from 1).</summary>
    public Action<ShiftingList, int>? BetweenPages { get; set; }

    /// <summary>Awaited before a list page is served, with its number (from 1): a test holds a page back with it.</summary>
    public Func<int, Task>? BeforePage { get; set; }

    /// <summary>The list pages served, in order: their offset and limit.</summary>
    public IReadOnlyList<(long Offset, int Limit)> Pages
    {
        get
        {
            lock (_gate)
            {
                return _pages.ToList();
            }
        }
    }

    /// <summary>The ids listed now with <paramref name="status"/> (any, when null), in list order.</summary>
    public IReadOnlyList<string> Ids(string? status = null)
    {
        lock (_gate)
        {
            return _jobs.Where(job => status is null || job.Status == status).Select(job => job.Id).ToList();
        }
    }

    /// <summary>How many DELETEs each id was sent.</summary>
    public IReadOnlyDictionary<string, int> Deletes
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_deletes);
            }
        }
    }

    /// <summary>Removes the job at <paramref name="position"/> (of the whole list), as another client would.</summary>
    public void RemoveAt(int position)
    {
        lock (_gate)
        {
            if (position < _jobs.Count)
            {
                _jobs.RemoveAt(position);
            }
        }
    }

    /// <summary>The number of jobs listed now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Count;
            }
        }
    }

    /// <summary>Adds a job at the head of the list (a job just created), with <paramref name="status"/>.</summary>
    public void InsertNewest(string status)
    {
        lock (_gate)
        {
            _jobs.Insert(0, ("new" + (++_inserted).ToString("D4", CultureInfo.InvariantCulture), status));
        }
    }

    /// <summary>Changes the status of the job at <paramref name="position"/> (it moved on by itself).</summary>
    public void SetStatusAt(int position, string status)
    {
        lock (_gate)
        {
            if (position < _jobs.Count)
            {
                _jobs[position] = (_jobs[position].Id, status);
            }
        }
    }

    private async Task<HttpResponseMessage> RespondAsync(RecordedRequest request, int index, CancellationToken token)
    {
        var path = request.Uri.AbsolutePath;
        if (path == "/api/jobs")
        {
            int number;
            lock (_gate)
            {
                number = _pages.Count + 1;
                var query = TestListing.QueryOf(request.Uri);
                _pages.Add((long.Parse(query["offset"], CultureInfo.InvariantCulture), int.Parse(query["limit"], CultureInfo.InvariantCulture)));
            }

            if (BeforePage is { } hold)
            {
                await hold(number).ConfigureAwait(false);
            }

            var page = ListPage(request.Uri);
            BetweenPages?.Invoke(this, number);
            return page;
        }

        var id = Uri.UnescapeDataString(path.Substring("/api/jobs/".Length));
        lock (_gate)
        {
            var at = _jobs.FindIndex(job => job.Id == id);
            if (request.Method == HttpMethod.Delete)
            {
                _deletes[id] = _deletes.TryGetValue(id, out var count) ? count + 1 : 1;
                if (at < 0)
                {
                    return Respond.Status(404, """{"error":"Job not found","code":"not_found"}""");
                }

                if (_jobs[at].Status != "pending")
                {
                    return Respond.Status(409, """{"error":"Job cannot be cancelled","code":"conflict"}""");
                }

                _jobs.RemoveAt(at);
                return Respond.Json("""{"success":true}""");
            }

            return at < 0 ? Respond.Status(404, """{"error":"Job not found","code":"not_found"}""") : Respond.Json(ConvertlyJob(id, _jobs[at].Status));
        }
    }

    private HttpResponseMessage ListPage(Uri uri)
    {
        var query = TestListing.QueryOf(uri);
        var offset = int.Parse(query["offset"], CultureInfo.InvariantCulture);
        var limit = int.Parse(query["limit"], CultureInfo.InvariantCulture);
        query.TryGetValue("status", out var status);
        lock (_gate)
        {
            var matching = _jobs.Where(job => status is null || job.Status == status).ToList();
            var page = matching.Skip(offset).Take(limit).Select(job => ConvertlyJob(job.Id, job.Status)).ToArray();
            return Respond.Json(ConvertlyPageOf(offset + limit < matching.Count, matching.Count, page));
        }
    }
}
