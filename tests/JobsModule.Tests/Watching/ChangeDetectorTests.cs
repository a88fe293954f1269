using CsCheck;
using JobsModule.Providers;
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
        var watch = AccountWatch.Baseline(new[] { Job("c", JobStatus.Running, 3), Job("b", JobStatus.Succeeded, 3), Job("a", JobStatus.Queued, 1), Job("old", JobStatus.Failed, 0) }, Now);

        Assert.Equal(Epoch.AddSeconds(3), watch.NewestUtc);
        Assert.Equal(new[] { "b", "c" }, watch.NewestIds.OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(new[] { "a", "c" }, watch.Unfinished.Keys.OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(JobStatus.Queued, watch.Unfinished["a"].Status);
        Assert.Empty(watch.Undated);
    }

    [Fact]
    public void New_jobs_come_oldest_first_and_a_job_of_the_newest_known_time_is_new_when_its_id_is_not_known()
    {
        var watch = AccountWatch.Baseline(new[] { Job("b", JobStatus.Succeeded, 3) }, Now);

        var changes = ChangeDetector.Detect(watch, new[] { Job("e", JobStatus.Queued, 5), Job("d", JobStatus.Running, 4), Job("tie", JobStatus.Queued, 3), Job("b", JobStatus.Succeeded, 3) }, NoReads, Now);

        Assert.Equal(new[] { "tie", "d", "e" }, changes.Select(change => change.Job.Id));
        Assert.All(changes, change => Assert.Equal(JobChangeKind.New, change.Change));
        Assert.All(changes, change => Assert.Null(change.PreviousStatus));
        Assert.All(changes, change => Assert.Null(change.PreviousOutcome));
        Assert.All(changes, change => Assert.Equal(Now, change.DetectedAt));
    }

    [Fact]
    public void A_known_job_changes_once_from_the_listing_or_from_its_read_by_id_and_leaves_the_state_when_finished()
    {
        var watch = AccountWatch.Baseline(new[] { Job("top", JobStatus.Running, 9), Job("mid", JobStatus.Queued, 5), Job("low", JobStatus.Running, 1) }, Now);
        var reads = new Dictionary<string, ProviderJob> { ["mid"] = Job("mid", JobStatus.Queued, 5), ["low"] = Job("low", JobStatus.Failed, 1) };

        Assert.Equal(new[] { "mid", "low" }, ChangeDetector.ToRead(watch, new[] { Job("top", JobStatus.Succeeded, 9) }).OrderByDescending(id => id, StringComparer.Ordinal));
        var changes = ChangeDetector.Detect(watch, new[] { Job("top", JobStatus.Succeeded, 9) }, reads, Now);

        Assert.Equal(new[] { "top:Running/Unfinished>Succeeded/Complete", "low:Running/Unfinished>Failed/Failed" }, changes.Select(change => $"{change.Job.Id}:{change.PreviousStatus}/{change.PreviousOutcome}>{change.Job.Status}/{change.Job.Outcome}").OrderByDescending(text => text, StringComparer.Ordinal));
        Assert.All(changes, change => Assert.Equal(JobChangeKind.StatusChanged, change.Change));
        changes.ForEach(change => watch.Apply(change));
        Assert.Equal(new[] { "mid" }, watch.Unfinished.Keys);
        Assert.Empty(ChangeDetector.Detect(watch, new[] { Job("top", JobStatus.Succeeded, 9) }, reads, Now));
    }

    [Fact]
    public void A_known_job_in_the_same_status_with_another_outcome_is_an_outcome_change_from_the_listing_or_its_read_by_id()
    {
        // Followed while finished because its details could not be read (-Detailed), and a running job whose outcome the provider refined.
        var watch = AccountWatch.Restored(
            Epoch.AddSeconds(9),
            new[] { "listed" },
            new[]
            {
                new KeyValuePair<string, WatchedJob>("listed", new WatchedJob(JobStatus.Succeeded, JobOutcome.Unverified)),
                new KeyValuePair<string, WatchedJob>("read", new WatchedJob(JobStatus.Failed, JobOutcome.Unverified)),
                new KeyValuePair<string, WatchedJob>("same", new WatchedJob(JobStatus.Running, JobOutcome.Unfinished)),
            },
            Array.Empty<string>());
        var listed = Job("listed", JobStatus.Succeeded, 9);
        listed.Outcome = JobOutcome.Partial;
        var reads = new Dictionary<string, ProviderJob> { ["read"] = Job("read", JobStatus.Failed, 2), ["same"] = Job("same", JobStatus.Running, 1) };

        var changes = ChangeDetector.Detect(watch, new[] { listed }, reads, Now);

        Assert.Equal(new[] { "listed:Succeeded/Unverified>Succeeded/Partial", "read:Failed/Unverified>Failed/Failed" }, changes.Select(change => $"{change.Job.Id}:{change.PreviousStatus}/{change.PreviousOutcome}>{change.Job.Status}/{change.Job.Outcome}"));
        Assert.All(changes, change => Assert.Equal(JobChangeKind.OutcomeChanged, change.Change));
    }

    [Fact]
    public void A_failed_listing_writes_no_new_job_and_has_every_known_unfinished_job_read_by_id()
    {
        var watch = AccountWatch.Baseline(new[] { Job("a", JobStatus.Running, 2), Job("b", JobStatus.Queued, 1) }, Now);

        Assert.Equal(2, ChangeDetector.ToRead(watch, null).Count);
        var changes = ChangeDetector.Detect(watch, null, new Dictionary<string, ProviderJob> { ["b"] = Job("b", JobStatus.Running, 1) }, Now);

        Assert.Equal("b", Assert.Single(changes).Job.Id);
    }

    [Fact]
    public void A_job_without_a_creation_time_is_new_once()
    {
        var watch = AccountWatch.Baseline(new[] { Job("dated", JobStatus.Succeeded, 1) }, Now);
        var undated = Job("undated", JobStatus.Succeeded, null);

        var first = ChangeDetector.Detect(watch, new[] { undated, Job("dated", JobStatus.Succeeded, 1) }, NoReads, Now);
        first.ForEach(change => watch.Apply(change));

        Assert.Equal("undated", Assert.Single(first).Job.Id);
        Assert.Empty(ChangeDetector.Detect(watch, new[] { undated }, NoReads, Now));
        Assert.Equal(Epoch.AddSeconds(1), watch.NewestUtc);
    }

    [Fact]
    public void A_job_dated_far_ahead_of_the_clock_does_not_hide_the_jobs_created_after_it()
    {
        var watch = AccountWatch.Baseline(new[] { Job("a", JobStatus.Succeeded, 1) }, Now);
        var wrongDate = new ProviderJob("Krea", "2099", "completed", JobStatus.Succeeded) { CreatedUtc = Now.UtcDateTime.AddYears(73) };

        var first = ChangeDetector.Detect(watch, new[] { wrongDate, Job("b", JobStatus.Queued, 5) }, NoReads, Now);
        first.ForEach(change => watch.Apply(change));

        Assert.Equal(new[] { "b", "2099" }, first.Select(change => change.Job.Id));
        Assert.Equal(Epoch.AddSeconds(5), watch.NewestUtc);
        Assert.Contains("2099", watch.Undated);

        // The next pass lists from b on: the job with the wrong date is there again, known by its id.
        var second = ChangeDetector.Detect(watch, new[] { wrongDate, Job("c", JobStatus.Queued, 9), Job("b", JobStatus.Queued, 5) }, NoReads, Now);
        Assert.Equal("c", Assert.Single(second).Job.Id);
    }

    [Fact]
    public void A_creation_time_up_to_an_hour_ahead_still_places_a_job()
    {
        var watch = AccountWatch.Baseline(Array.Empty<ProviderJob>(), Now);
        var ahead = new ProviderJob("Krea", "ahead", "completed", JobStatus.Succeeded) { CreatedUtc = Now.UtcDateTime + AccountWatch.ClockSkew };
        var beyond = new ProviderJob("Krea", "beyond", "completed", JobStatus.Succeeded) { CreatedUtc = Now.UtcDateTime + AccountWatch.ClockSkew + TimeSpan.FromSeconds(1) };

        ChangeDetector.Detect(watch, new[] { beyond, ahead }, NoReads, Now).ForEach(change => watch.Apply(change));

        Assert.Equal(Now.UtcDateTime + AccountWatch.ClockSkew, watch.NewestUtc);
        Assert.Equal(new[] { "beyond" }, watch.Undated);
        Assert.Equal(TimeSpan.FromHours(1), AccountWatch.ClockSkew);
    }

    [Fact]
    public void A_job_gone_from_the_provider_leaves_the_state()
    {
        var watch = AccountWatch.Baseline(new[] { Job("a", JobStatus.Running, 2) }, Now);
        watch.Forget("a");
        Assert.Empty(watch.Unfinished);
    }

    /// <summary>
    /// One pass of a generated history: jobs created before it, statuses moved on, details that become
    /// readable (-Detailed: a finished job is Unverified until then), and how the pass goes wrong.
    /// </summary>
    public sealed record Step(int NewJobs, bool SameTick, int[] Advances, int[] Readable, bool ListingFails, int ReadsBeforeFailure, int WrittenBeforeStop);

    private static readonly Gen<Step> Steps =
        Gen.Select(Gen.Int[0, 4], Gen.Bool, Gen.Int[0, 60].Array[0, 5], Gen.Int[0, 60].Array[0, 3], Gen.Int[0, 4], Gen.Int[-1, 3], Gen.Int[-1, 6])
            .Select(parts => new Step(parts.Item1, parts.Item2, parts.Item3, parts.Item4, parts.Item5 == 0, parts.Item6, parts.Item7));

    [Fact]
    public void Any_history_watched_through_failing_and_stopped_passes_gives_each_change_once_and_misses_none()
    {
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Int[0, 6], Steps.Array[1, 12]).Sample((includeExisting, detailed, initial, steps) => Watch(includeExisting, detailed, initial, steps), iter: 3000);
    }

    [Fact]
    public void A_watch_without_detailed_stops_following_the_finished_jobs_a_detailed_one_kept_and_never_writes_them_again()
    {
        var watch = AccountWatch.Baseline(new[] { Job("seed", JobStatus.Succeeded, 0) }, Now);
        var unverified = Job("u", JobStatus.Succeeded, null);
        unverified.Outcome = JobOutcome.Unverified;
        var dated = Job("d", JobStatus.Failed, 5);
        dated.Outcome = JobOutcome.Unverified;
        foreach (var change in ChangeDetector.Detect(watch, new[] { dated, unverified }, NoReads, Now))
        {
            watch.Apply(change, followUnverified: true);
        }

        Assert.Equal(new[] { "d", "u" }, watch.Unfinished.Keys.OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(new WatchedJob(JobStatus.Succeeded, JobOutcome.Unverified), watch.Unfinished["u"]);

        watch.ForgetFinished();

        Assert.Empty(watch.Unfinished);
        Assert.Empty(ChangeDetector.Detect(watch, new[] { dated, unverified }, NoReads, Now));
    }

    private static void Watch(bool includeExisting, bool detailed, int initial, Step[] steps)
    {
        var statuses = new Dictionary<string, JobStatus>(StringComparer.Ordinal);
        var created = new Dictionary<string, int>(StringComparer.Ordinal);
        var readable = new HashSet<string>(StringComparer.Ordinal);
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

        // As the pass reads it: a finished job is Unverified until its details can be read.
        ProviderJob Read(string id)
        {
            var job = Job(id, statuses[id], created[id]);
            if (job.Status.IsFinished() && !readable.Contains(id))
            {
                job.Outcome = JobOutcome.Unverified;
            }

            return job;
        }

        IReadOnlyList<ProviderJob> Listing(DateTime? after) => order
            .Where(id => after is null || Epoch.AddSeconds(created[id]) >= after)
            .OrderByDescending(id => created[id])
            .Select(Read)
            .ToList();

        Create(initial, false);
        AccountWatch? watch = null;
        var baselineIds = new HashSet<string>(StringComparer.Ordinal);
        var written = new Dictionary<string, List<(JobStatus Status, JobOutcome Outcome)>>(StringComparer.Ordinal);
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
                    watch = AccountWatch.Baseline(all, Now);
                    foreach (var job in all)
                    {
                        baselineIds.Add(job.Id);
                        written[job.Id] = new() { (job.Status, job.Outcome) };
                    }

                    return;
                }

                watch = new AccountWatch();
                Write(ChangeDetector.Detect(watch, all, NoReads, Now), step.WrittenBeforeStop);
                return;
            }

            var listed = step.ListingFails ? null : Listing(watch.NewestUtc);
            var toRead = ChangeDetector.ToRead(watch, listed);
            var reads = toRead.Take(step.ReadsBeforeFailure < 0 ? int.MaxValue : step.ReadsBeforeFailure).ToDictionary(id => id, Read, StringComparer.Ordinal);
            Write(ChangeDetector.Detect(watch, listed, reads, Now), step.WrittenBeforeStop);
        }

        void Write(List<JobChange> changes, int stopAfter)
        {
            foreach (var change in stopAfter < 0 ? changes : changes.Take(stopAfter))
            {
                var id = change.Job.Id;
                var now = (change.Job.Status, change.Job.Outcome);
                if (change.Change == JobChangeKind.New)
                {
                    Assert.DoesNotContain(id, news);
                    Assert.DoesNotContain(id, baselineIds);
                    Assert.Null(change.PreviousStatus);
                    Assert.Null(change.PreviousOutcome);
                    news.Add(id);
                    written[id] = new() { now };
                }
                else
                {
                    var seen = written[id];
                    Assert.Equal(seen[^1].Status, change.PreviousStatus);
                    Assert.Equal(seen[^1].Outcome, change.PreviousOutcome);
                    if (change.Change == JobChangeKind.StatusChanged)
                    {
                        Assert.False(seen[^1].Status.IsFinished(), $"{id} changed status after it finished");
                        Assert.NotEqual(seen[^1].Status, change.Job.Status);
                    }
                    else
                    {
                        // Only a finished job a -Detailed watch kept for its outcome: from Unverified to what its details say.
                        Assert.Equal(JobChangeKind.OutcomeChanged, change.Change);
                        Assert.True(detailed, $"{id} changed outcome without -Detailed");
                        Assert.Equal(seen[^1].Status, change.Job.Status);
                        Assert.Equal(JobOutcome.Unverified, seen[^1].Outcome);
                        Assert.NotEqual(JobOutcome.Unverified, change.Job.Outcome);
                    }

                    seen.Add(now);
                }

                watch!.Apply(change, followUnverified: detailed);
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

            foreach (var made in step.Readable.Where(_ => order.Count > 0))
            {
                readable.Add(order[made % order.Count]);
            }

            Pass(step);
        }

        // Every job's details can be read now: a clean pass catches up with everything; a second finds nothing left.
        readable.UnionWith(order);
        var clean = new Step(0, false, Array.Empty<int>(), Array.Empty<int>(), false, -1, -1);
        Pass(clean);
        var before = news.Count + written.Values.Sum(seen => seen.Count);
        Pass(clean);
        Assert.Equal(before, news.Count + written.Values.Sum(seen => seen.Count));

        Assert.Equal(order.Where(id => !baselineIds.Contains(id)).OrderBy(id => id, StringComparer.Ordinal), news.OrderBy(id => id, StringComparer.Ordinal));
        foreach (var id in order)
        {
            Assert.Equal(statuses[id], written[id][^1].Status);

            // -Detailed writes every outcome once it is known; without, a job finished Unverified stays as written then.
            if (detailed && !baselineIds.Contains(id))
            {
                Assert.Equal(Read(id).Outcome, written[id][^1].Outcome);
            }
        }

        // The state holds the unfinished jobs and no other (the finished ones left once their outcome was written).
        Assert.Equal(order.Where(id => !statuses[id].IsFinished()).OrderBy(id => id, StringComparer.Ordinal), watch!.Unfinished.Keys.OrderBy(id => id, StringComparer.Ordinal));
    }
}
