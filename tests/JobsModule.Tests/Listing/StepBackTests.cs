using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;

namespace JobsModule.Tests;

/// <summary>
/// Offset-paged listings whose list changes while they are read, through the pager and Stop's engine
/// over a Convertly list held in memory: a stop that removes a job moves the places after it up, and the
/// next page steps back over it; a drop in the total by someone else is gone back over and proven by an
/// anchor, or warned about with a count.
/// </summary>
public class StepBackTests
{
    private static readonly string[] Cycle = { "pending", "processing", "completed", "failed" };

    private static ShiftingList ListOf(int count, Func<int, string>? status = null) =>
        new(Enumerable.Range(0, count).Select(i => status?.Invoke(i) ?? Cycle[i % Cycle.Length]));

    /// <summary>What a listing piped to Stop did: the ids written, in order, the warnings, and how it ended.</summary>
    private sealed record Piped(List<string> Written, List<string> Warnings, Exception? Error);

    /// <summary>Lists through the pager and stops each job <paramref name="stop"/> picks as it comes, as Get-ProviderJob | Stop-ProviderJob does.</summary>
    private static Piped ListAndStop(ShiftingList list, JobQuery query, Func<ProviderJob, bool> stop, TestOptions? options = null)
    {
        var provider = new ConvertlyProvider();
        var lister = new JobLister(new HttpClient(list.Stub));
        var endpoints = new[] { TestListing.Endpoint(provider) };
        var log = new CallLog();
        var actions = new JobActions(lister, TestListing.Fast.Call(log, CancellationToken.None));
        var written = new List<string>();
        Exception? error = null;
        try
        {
            foreach (var job in lister.List(endpoints[0], query, (options ?? TestListing.Fast).Call(log), new ListingCounts()))
            {
                written.Add(job.Id);
                if (stop(job))
                {
                    actions.Stop(endpoints, job.Id, passThru: false, new RecordingEvents(), job);
                }
            }
        }
        catch (ProviderRequestException ex)
        {
            error = ex;
        }

        var warnings = new List<string>();
        while (log.TryTake(out var message))
        {
            if (message.Kind == LogMessageKind.Warning)
            {
                warnings.Add(message.Text);
            }
        }

        return new Piped(written, warnings, error);
    }

    private static readonly JobQuery Queued = new() { Statuses = new[] { JobStatus.Queued } };

    private static long WarnedCount(IEnumerable<string> warnings) =>
        warnings.Sum(text => long.Parse(Regex.Match(text, "up to (\\d+) matching job").Groups[1].Value, CultureInfo.InvariantCulture));

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(100)]
    public void Stopping_every_pending_job_of_a_filtered_listing_stops_each_one_once(int pageSize)
    {
        var list = ListOf(235 * 4);
        var pending = list.Ids("pending");

        var run = ListAndStop(list, Queued with { PageSize = pageSize }, _ => true);

        Assert.Null(run.Error);
        Assert.Equal(pending, run.Written);
        Assert.Empty(list.Ids("pending"));
        Assert.Equal(pending.OrderBy(id => id, StringComparer.Ordinal), list.Deletes.Keys.OrderBy(id => id, StringComparer.Ordinal));
        Assert.All(list.Deletes.Values, count => Assert.Equal(1, count));
        Assert.Empty(run.Warnings);

        // Every job listed is gone by the time the next page is asked for, so every page starts at the head.
        Assert.Equal((235 + pageSize - 1) / pageSize, list.Pages.Count);
        Assert.All(list.Pages, page => Assert.Equal((0L, pageSize), page));
    }

    [Fact]
    public void With_the_small_first_page_every_page_still_starts_at_the_head()
    {
        var list = ListOf(235 * 4);
        var options = TestListing.Fast with { FirstPageSize = 32, PrefetchAfter = ReadAhead.Default.PrefetchAfter };

        var run = ListAndStop(list, Queued, _ => true, options);

        Assert.Equal(235, run.Written.Count);
        Assert.Empty(list.Ids("pending"));
        Assert.Equal(new[] { (0L, 32), (0L, 100), (0L, 100), (0L, 100) }, list.Pages);
    }

    [Fact]
    public void Stopping_some_jobs_steps_the_next_page_back_by_as_many()
    {
        // Unfiltered: the pending jobs (every fourth) are stopped and leave, the others stay.
        var list = ListOf(40);
        var all = list.Ids();

        var run = ListAndStop(list, new JobQuery { PageSize = 10 }, job => job.Status == JobStatus.Queued);

        Assert.Equal(all, run.Written);
        Assert.Empty(list.Ids("pending"));
        // Page 1 holds three pending jobs (0, 4, 8), so page 2 starts 10 - 3 places on, and so on.
        Assert.Equal(new[] { (0L, 10), (7L, 10), (15L, 10), (22L, 10) }, list.Pages);
    }

    [Fact]
    public void A_page_served_after_stops_it_was_not_planned_for_is_asked_for_again_from_where_the_list_stands()
    {
        // Stops that run beside the listing (ForEach-Object -Parallel downstream, say) reach the server
        // while page 2 is on its way: page 2 was planned before them, so it may start late.
        var list = ListOf(8, _ => "pending");
        var provider = new ConvertlyProvider();
        var lister = new JobLister(new HttpClient(list.Stub));
        var endpoints = new[] { TestListing.Endpoint(provider) };
        var actions = new JobActions(lister, TestListing.Fast.Call(new CallLog(), CancellationToken.None));
        var written = new List<ProviderJob>();
        list.BeforePage = number =>
        {
            if (number == 2)
            {
                foreach (var job in written.Skip(2))
                {
                    actions.Stop(endpoints, job.Id, passThru: false, new RecordingEvents(), job);
                }
            }

            return Task.CompletedTask;
        };

        // Each page is asked for once the one before is used up, so page 2's request finds all four jobs of page 1 written.
        var options = TestListing.Fast with { PrefetchNextPage = false };
        written.AddRange(lister.List(endpoints[0], new JobQuery { PageSize = 4 }, options.Call(new CallLog(), CancellationToken.None), new ListingCounts()));

        Assert.Equal(new[] { "j0000", "j0001", "j0002", "j0003", "j0004", "j0005", "j0006", "j0007" }, written.Select(job => job.Id));
        // Asked for at offset 4, page 2 came after two jobs before it had gone (it held j0006 and j0007 and
        // would have skipped j0004 and j0005): it is asked for again at 4 - 2, and the listing ends there.
        Assert.Equal(new[] { (0L, 4), (4L, 4), (2L, 4) }, list.Pages);
        Assert.Equal(new[] { "j0000", "j0001", "j0004", "j0005", "j0006", "j0007" }, list.Ids());
    }

    [Fact]
    public void Jobs_removed_at_the_head_by_someone_else_are_gone_back_over_and_proven_by_an_anchor()
    {
        // Five jobs go from the head after every page: the listing's own jobs, already read.
        var list = ListOf(300, _ => "pending");
        list.BetweenPages = (jobs, _) =>
        {
            for (var i = 0; i < 5; i++)
            {
                jobs.RemoveAt(0);
            }
        };

        var run = ListAndStop(list, new JobQuery(), _ => false, TestListing.Fast with { FirstPageSize = 32 });

        Assert.Null(run.Error);
        Assert.Empty(run.Warnings);
        // Every job once; the five that page 2 skipped come with the page that went back for them.
        var skipped = new[] { "j0032", "j0033", "j0034", "j0035", "j0036" };
        Assert.Equal(list.Original.Select(job => job.Id).Except(skipped), run.Written.Except(skipped));
        Assert.Equal(skipped, run.Written.Skip(132).Take(5));
        Assert.Equal(300, run.Written.Count);

        // Page 2 shows a drop of 5: the next page goes back over those 5, the next 5 that may go, and one
        // job of page 1; from then on each page reaches back over the last drop and one more.
        Assert.Equal(new[] { (0L, 32), (32L, 100), (21L, 100), (115L, 100), (209L, 100) }, list.Pages);
    }

    [Fact]
    public void When_the_jobs_before_a_drop_were_all_taken_out_the_warning_says_how_many_may_be_missing()
    {
        var list = ListOf(24, _ => "pending");
        // After page 2 someone else removes page 1's jobs; page 3 then starts four jobs late. The listing
        // stopped every job of page 2 itself, so nothing is left to prove where page 3 starts.
        list.BetweenPages = (jobs, number) =>
        {
            if (number == 2)
            {
                for (var i = 0; i < 4; i++)
                {
                    jobs.RemoveAt(0);
                }
            }
        };

        var run = ListAndStop(list, new JobQuery { PageSize = 4 }, job => string.CompareOrdinal(job.Id, "j0004") >= 0);

        Assert.Null(run.Error);
        var warning = Assert.Single(run.Warnings);
        Assert.Equal(
            "Convertly: up to 4 matching jobs may be missing from this listing: jobs left the list while it was read (its total dropped), and the pages could not "
            + "be stepped back far enough to be sure. To act on every job, collect the listing first, for example @(Get-ProviderJob ...) | Stop-ProviderJob.",
            warning);
        var missing = list.Ids("pending").Except(run.Written).ToList();
        Assert.Equal(new[] { "j0008", "j0009", "j0010", "j0011" }, missing);
        Assert.Equal(run.Written.Count, run.Written.Distinct().Count());
    }

    [Fact]
    public void A_drop_that_is_the_listings_own_stops_is_no_warning()
    {
        var list = ListOf(60, _ => "pending");

        var run = ListAndStop(list, new JobQuery { PageSize = 7 }, job => int.Parse(job.Id.Substring(1), CultureInfo.InvariantCulture) % 3 == 0);

        Assert.Equal(list.Original.Select(job => job.Id), run.Written);
        Assert.Empty(run.Warnings);
    }

    /// <summary>One generated case: a list, a page size, which jobs the consumer stops, and what others do between pages.</summary>
    private sealed record Case(string[] Statuses, int PageSize, bool Filtered, int StopEvery, int[] Others, bool Inserts)
    {
        public override string ToString() =>
            $"{Statuses.Length} jobs, pages of {PageSize}, {(Filtered ? "pending only" : "all")}, stop every {StopEvery}, others [{string.Join(",", Others)}]{(Inserts ? " with inserts" : string.Empty)}";
    }

    private static readonly Gen<Case> Cases =
        from count in Gen.Int[0, 90]
        from statuses in Gen.OneOf(Gen.Const("pending"), Gen.Const("processing"), Gen.Const("completed")).Array[count]
        from pageSize in Gen.Int[5, 12]
        from filtered in Gen.Bool
        from stopEvery in Gen.Int[0, 3]
        from others in Gen.Int[0, 7].Array[0, 12]
        from inserts in Gen.Bool
        select new Case(statuses, pageSize, filtered, stopEvery, others, inserts);

    [Fact]
    public void Whatever_leaves_the_list_no_job_is_written_twice_or_missed_without_a_warning_that_counts_it()
    {
        Cases.Sample(@case =>
        {
            var list = new ShiftingList(@case.Statuses);
            var status = @case.Filtered ? "pending" : null;
            // What someone else does after page n: 0 nothing, 1-2 remove the newest, 3-4 remove one at a
            // place of the list, 5 move a pending job on to processing, 6-7 create a job (when allowed).
            list.BetweenPages = (jobs, number) =>
            {
                var what = number <= @case.Others.Length ? @case.Others[number - 1] : 0;
                switch (what)
                {
                    case 1 or 2:
                        jobs.RemoveAt(0);
                        break;
                    case 3 or 4:
                        jobs.RemoveAt(number * 7 % Math.Max(1, jobs.Count));
                        break;
                    case 5:
                        jobs.SetStatusAt(number * 5 % Math.Max(1, jobs.Count), "processing");
                        break;
                    case 6 or 7 when @case.Inserts:
                        jobs.InsertNewest("pending");
                        break;
                }
            };

            var matchingAtStart = list.Ids(status);
            var query = new JobQuery { PageSize = @case.PageSize, Statuses = @case.Filtered ? new[] { JobStatus.Queued } : Array.Empty<JobStatus>() };
            var seen = 0;
            var run = ListAndStop(list, query, job => @case.StopEvery > 0 && seen++ % @case.StopEvery == 0);

            var pages = string.Join(" ", list.Pages);
            Assert.True(run.Error is null, $"{@case} [{string.Join(",", @case.Statuses.Select(s => s[0]))}]: pages {pages}: {run.Error?.Message} written {string.Join(",", run.Written)} deleted {string.Join(",", list.Deletes.Keys)}");
            Assert.True(run.Written.Count == run.Written.Distinct().Count(), $"{@case}: pages {pages}: written twice");
            Assert.All(list.Deletes.Values, count => Assert.Equal(1, count));
            var missing = list.Ids(status).Intersect(matchingAtStart).Except(run.Written).Count();
            Assert.True(missing <= WarnedCount(run.Warnings), $"{missing} jobs missing, warned of {WarnedCount(run.Warnings)}");
            // Only new jobs (or nothing) besides the listing's own stops: nothing can be skipped.
            if (@case.Others.All(what => what is 0 or 6 or 7))
            {
                Assert.Equal(0, missing);
                Assert.Empty(run.Warnings);
            }
        }, iter: 500);
    }
}
