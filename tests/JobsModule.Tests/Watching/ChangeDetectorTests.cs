using CsCheck;
using JobsModule.Watching;

namespace JobsModule.Tests;

/// <summary>
/// The change detection: single cases, and generated histories (jobs created, some in the same tick,
/// statuses moving on) watched through passes whose listing fails, whose reads by id fail part-way, or
/// whose writing stops early: after a clean pass, each change has been written once and none was missed.
/// </summary>
public class ChangeDetectorTests
{
    private static readonly DateTime Epoch = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 22, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, ProviderJob> NoReads = new();

    private static ProviderJob Job(string id, JobStatus status, int? second) =>
        new("Krea", id, status.ToString(), status) { CreatedUtc = second is { } s ? Epoch.AddSeconds(s) : null };

    [Fact]
    public void A_baseline_knows_the_newest_jobs_and_the_unfinished_ones_and_nothing_else()
    {
        var watch = AccountWatch.Baseline(new[] { Job("c", JobStatus.Running, 3), Job("b", JobStatus.Succeeded, 3), Job("a", JobStatus.Queued, 1), Job("old", JobStatus.Failed, 0) });

        Assert.Equal(Epoch.AddSeconds(3), watch.NewestUtc);
        Assert.Equal(new[] { "b", "c" }, watch.NewestIds.OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(new[] { "a", "c" }, watch.Unfinished.Keys.OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(JobStatus.Queued, watch.Unfinished["a"].Status);
        Assert.Empty(watch.Undated);
    }

    [Fact]
    public void New_jobs_come_oldest_first_and_a_job_of_the_newest_known_time_is_new_when_its_id_is_not_known()
    {
        var watch = AccountWatch.Baseline(new[] { Job("b", JobStatus.Succeeded, 3) });

        var changes = ChangeDetector.Detect(watch, new[] { Job("e", JobStatus.Queued, 5), Job("d", JobStatus.Running, 4), Job("tie", JobStatus.Queued, 3), Job("b", JobStatus.Succeeded, 3) }, NoReads, Now);

        Assert.Equal(new[] { "tie", "d", "e" }, changes.Select(change => change.Job.Id));
        Assert.All(changes, change => Assert.Equal(JobChangeKind.New, change.Change));
        Assert.All(changes, change => Assert.Null(change.PreviousStatus));
        Assert.All(changes, change => Assert.Equal(Now, change.DetectedAt));
    }

    [Fact]
    public void A_known_job_changes_once_from_the_listing_or_from_its_read_by_id_and_leaves_the_state_when_finished()
    {
        var watch = AccountWatch.Baseline(new[] { Job("top", JobStatus.Running, 9), Job("mid", JobStatus.Queued, 5), Job("low", JobStatus.Running, 1) });
        var reads = new Dictionary<string, ProviderJob> { ["mid"] = Job("mid", JobStatus.Queued, 5), ["low"] = Job("low", JobStatus.Failed, 1) };

        Assert.Equal(new[] { "mid", "low" }, ChangeDetector.ToRead(watch, new[] { Job("top", JobStatus.Succeeded, 9) }).OrderByDescending(id => id, StringComparer.Ordinal));
        var changes = ChangeDetector.Detect(watch, new[] { Job("top", JobStatus.Succeeded, 9) }, reads, Now);

        Assert.Equal(new[] { "top:Running>Succeeded", "low:Running>Failed" }, changes.Select(change => $"{change.Job.Id}:{change.PreviousStatus}>{change.Job.Status}").OrderByDescending(text => text, StringComparer.Ordinal));
        Assert.All(changes, change => Assert.Equal(JobChangeKind.StatusChanged, change.Change));
        changes.ForEach(watch.Apply);
        Assert.Equal(new[] { "mid" }, watch.Unfinished.Keys);
        Assert.Empty(ChangeDetector.Detect(watch, new[] { Job("top", JobStatus.Succeeded, 9) }, reads, Now));
    }

    [Fact]
    public void A_failed_listing_writes_no_new_job_and_has_every_known_unfinished_job_read_by_id()
    {
        var watch = AccountWatch.Baseline(new[] { Job("a", JobStatus.Running, 2), Job("b", JobStatus.Queued, 1) });

        Assert.Equal(2, ChangeDetector.ToRead(watch, null).Count);
        var changes = ChangeDetector.Detect(watch, null, new Dictionary<string, ProviderJob> { ["b"] = Job("b", JobStatus.Running, 1) }, Now);

        Assert.Equal("b", Assert.Single(changes).Job.Id);
    }

    [Fact]
    public void A_job_without_a_creation_time_is_new_once()
    {
        var watch = AccountWatch.Baseline(new[] { Job("dated", JobStatus.Succeeded, 1) });
        var undated = Job("undated", JobStatus.Succeeded, null);

        var first = ChangeDetector.Detect(watch, new[] { undated, Job("dated", JobStatus.Succeeded, 1) }, NoReads, Now);
        first.ForEach(watch.Apply);

        Assert.Equal("undated", Assert.Single(first).Job.Id);
        Assert.Empty(ChangeDetector.Detect(watch, new[] { undated }, NoReads, Now));
        Assert.Equal(Epoch.AddSeconds(1), watch.NewestUtc);
    }

    [Fact]
    public void A_job_gone_from_the_provider_leaves_the_state()
    {
        var watch = AccountWatch.Baseline(new[] { Job("a", JobStatus.Running, 2) });
        watch.Forget("a");
        Assert.Empty(watch.Unfinished);
    }

    /// <summary>One pass of a generated history: jobs created before it, statuses moved on, and how it goes wrong.</summary>
    public sealed record Step(int NewJobs, bool SameTick, int[] Advances, bool ListingFails, int ReadsBeforeFailure, int WrittenBeforeStop);

    private static readonly Gen<Step> Steps =
        Gen.Select(Gen.Int[0, 4], Gen.Bool, Gen.Int[0, 60].Array[0, 5], Gen.Int[0, 4], Gen.Int[-1, 3], Gen.Int[-1, 6])
            .Select(parts => new Step(parts.Item1, parts.Item2, parts.Item3, parts.Item4 == 0, parts.Item5, parts.Item6));

    [Fact]
    public void Any_history_watched_through_failing_and_stopped_passes_gives_each_change_once_and_misses_none()
    {
        Gen.Select(Gen.Bool, Gen.Int[0, 6], Steps.Array[1, 12]).Sample((includeExisting, initial, steps) => Watch(includeExisting, initial, steps), iter: 2000);
    }

    private static void Watch(bool includeExisting, int initial, Step[] steps)
    {
        var statuses = new Dictionary<string, JobStatus>(StringComparer.Ordinal);
        var created = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        var tick = 0;
        void Create(int count, bool sameTick)
        {
            for (var i = 0; i < count; i++)
            {
                if (!sameTick || order.Count == 0)
                {
                    tick++;
                }

                var id = "j" + order.Count;
                order.Add(id);
                created[id] = tick;
                statuses[id] = (order.Count % 4) switch { 0 => JobStatus.Succeeded, 1 => JobStatus.Queued, 2 => JobStatus.Running, _ => JobStatus.Unknown };
            }
        }

        IReadOnlyList<ProviderJob> Listing(DateTime? after) => order
            .Where(id => after is null || Epoch.AddSeconds(created[id]) >= after)
            .OrderByDescending(id => created[id])
            .Select(id => Job(id, statuses[id], created[id]))
            .ToList();

        Create(initial, false);
        AccountWatch? watch = null;
        var baselineIds = new HashSet<string>(StringComparer.Ordinal);
        var written = new Dictionary<string, List<JobStatus>>(StringComparer.Ordinal);
        var news = new List<string>();

        void Pass(Step step)
        {
            if (watch is null)
            {
                if (step.ListingFails)
                {
                    return;
                }

                var all = Listing(null);
                if (!includeExisting)
                {
                    watch = AccountWatch.Baseline(all);
                    foreach (var job in all)
                    {
                        baselineIds.Add(job.Id);
                        written[job.Id] = new List<JobStatus> { job.Status };
                    }

                    return;
                }

                watch = new AccountWatch();
                Write(ChangeDetector.Detect(watch, all, NoReads, Now), step.WrittenBeforeStop);
                return;
            }

            var listed = step.ListingFails ? null : Listing(watch.NewestUtc);
            var toRead = ChangeDetector.ToRead(watch, listed);
            var reads = toRead.Take(step.ReadsBeforeFailure < 0 ? int.MaxValue : step.ReadsBeforeFailure).ToDictionary(id => id, id => Job(id, statuses[id], created[id]), StringComparer.Ordinal);
            Write(ChangeDetector.Detect(watch, listed, reads, Now), step.WrittenBeforeStop);
        }

        void Write(List<JobChange> changes, int stopAfter)
        {
            foreach (var change in stopAfter < 0 ? changes : changes.Take(stopAfter))
            {
                var id = change.Job.Id;
                if (change.Change == JobChangeKind.New)
                {
                    Assert.DoesNotContain(id, news);
                    Assert.DoesNotContain(id, baselineIds);
                    news.Add(id);
                    written[id] = new List<JobStatus> { change.Job.Status };
                }
                else
                {
                    var seen = written[id];
                    Assert.False(seen[^1].IsFinished(), $"{id} changed after it finished");
                    Assert.Equal(seen[^1], change.PreviousStatus);
                    Assert.NotEqual(seen[^1], change.Job.Status);
                    seen.Add(change.Job.Status);
                }

                watch!.Apply(change);
            }
        }

        foreach (var step in steps)
        {
            Create(step.NewJobs, step.SameTick);
            foreach (var advance in step.Advances.Where(_ => order.Count > 0))
            {
                var id = order[advance % order.Count];
                statuses[id] = statuses[id] switch
                {
                    JobStatus.Queued or JobStatus.Unknown when advance % 2 == 0 => JobStatus.Running,
                    JobStatus.Queued or JobStatus.Unknown or JobStatus.Running => (JobStatus)(3 + (advance % 3)),
                    var finished => finished,
                };
            }

            Pass(step);
        }

        // A clean pass catches up with everything; a second finds nothing left.
        var clean = new Step(0, false, Array.Empty<int>(), false, -1, -1);
        Pass(clean);
        var before = news.Count + written.Values.Sum(statusList => statusList.Count);
        Pass(clean);
        Assert.Equal(before, news.Count + written.Values.Sum(statusList => statusList.Count));

        Assert.Equal(order.Where(id => !baselineIds.Contains(id)).OrderBy(id => id, StringComparer.Ordinal), news.OrderBy(id => id, StringComparer.Ordinal));
        foreach (var id in order)
        {
            Assert.Equal(statuses[id], written[id][^1]);
        }

        // The state holds the unfinished jobs and no other.
        Assert.Equal(order.Where(id => !statuses[id].IsFinished()).OrderBy(id => id, StringComparer.Ordinal), watch!.Unfinished.Keys.OrderBy(id => id, StringComparer.Ordinal));
    }
}
