using System.Text;
using CsCheck;
using JobsModule.Engine;
using JobsModule.Listing;
using JobsModule.Watching;

namespace JobsModule.Tests;

/// <summary>The state file's format, and the file held for a run, saved in one step, refused when damaged.</summary>
public class WatchStateFormatTests
{
    private static readonly DateTime Epoch = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

    private static byte[] Bytes(WatchState state)
    {
        using var stream = new MemoryStream();
        WatchStateFormat.Write(state, stream);
        return stream.ToArray();
    }

    private static string Describe(WatchState state) => string.Join("\n", state.Accounts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair =>
        $"{pair.Key} {pair.Value.NewestUtc?.Ticks} [{string.Join(",", pair.Value.NewestIds.OrderBy(id => id, StringComparer.Ordinal))}] "
        + $"[{string.Join(",", pair.Value.Unfinished.OrderBy(job => job.Key, StringComparer.Ordinal).Select(job => job.Key + "=" + job.Value.Status + "/" + job.Value.Outcome))}] "
        + $"[{string.Join(",", pair.Value.Undated.OrderBy(id => id, StringComparer.Ordinal))}]"));

    private static readonly Gen<string> Ids = Gen.OneOf(Gen.String[0, 12], Gen.Const("a\"b\\c\u0001é/%"), Gen.Guid.Select(id => id.ToString()));

    // A job the watch follows: any outcome while unfinished, and a finished one only while Unverified.
    private static readonly Gen<WatchedJob> Followed = Gen.Select(Gen.Enum<JobStatus>(), Gen.Enum<JobOutcome>(), (status, outcome) => new WatchedJob(status, status.IsFinished() ? JobOutcome.Unverified : outcome));

    private static readonly Gen<AccountWatch> Accounts = Gen.Select(
        Gen.Select(Gen.Bool, Gen.Long[0, TimeSpan.TicksPerDay * 3650], (known, ticks) => known ? Epoch.AddTicks(ticks) : (DateTime?)null),
        Ids.Array[0, 4],
        Gen.Select(Ids, Followed).Array[0, 6],
        Ids.Array[0, 3],
        (newest, newestIds, unfinished, undated) => AccountWatch.Restored(newest, newestIds, unfinished.GroupBy(job => job.Item1).Select(job => new KeyValuePair<string, WatchedJob>(job.Key, job.First().Item2)), undated));

    [Fact]
    public void Any_state_reads_back_as_it_was_written()
    {
        Gen.Select(Gen.String[1, 40], Accounts).Array[0, 4].Sample(accounts =>
        {
            var state = new WatchState();
            foreach (var (key, account) in accounts)
            {
                state.Accounts[key] = account;
            }

            var read = WatchStateFormat.Read(Bytes(state), out var problem);

            Assert.Null(problem);
            Assert.Equal(Describe(state), Describe(read!));
        });
    }

    [Fact]
    public void The_filters_name_an_account_s_state_the_same_whatever_the_order_of_the_kinds_given()
    {
        Assert.Equal(string.Empty, WatchSettings.FiltersOf(new JobQuery()));
        Assert.Equal("kind=image,Video;workflow=w1;input=s3://in", WatchSettings.FiltersOf(new JobQuery { Kinds = new[] { "Video", "image" }, WorkflowId = "w1", InputUri = "s3://in" }));
        Assert.Equal(WatchSettings.FiltersOf(new JobQuery { Kinds = new[] { "image", "Video" } }), WatchSettings.FiltersOf(new JobQuery { Kinds = new[] { "Video", "image" } }));
        Assert.NotEqual(
            WatchState.KeyOf("Krea", null, new Uri("https://api.krea.ai/"), WatchSettings.FiltersOf(new JobQuery { Kinds = new[] { "image" } }), Redactor.None),
            WatchState.KeyOf("Krea", null, new Uri("https://api.krea.ai/"), string.Empty, Redactor.None));
    }

    [Fact]
    public void An_account_s_name_in_the_state_holds_no_key_and_no_filter_text()
    {
        const string key = "sk-in-the-gateway-path-0123456789";
        var name = WatchState.KeyOf("Krea", "work", new Uri("https://gateway.example/" + key + "/"), WatchSettings.FiltersOf(new JobQuery { InputUri = "https://bucket.example/in.mp4?X-Amz-Signature=abc123" }), new Redactor(new[] { key }));

        Assert.DoesNotContain(key, name, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123", name, StringComparison.Ordinal);
        Assert.Matches("^Krea\\|work\\|https://gateway\\.example/\\(redacted\\)/\\|filters:[0-9a-f]{64}$", name);
    }

    [Fact]
    public void The_size_follows_the_unfinished_jobs_not_the_history()
    {
        var watch = AccountWatch.Baseline(Array.Empty<ProviderJob>(), DateTimeOffset.UtcNow);
        var state = new WatchState();
        state.Accounts[WatchState.KeyOf("Krea", null, new Uri("https://api.krea.ai/"), string.Empty, Redactor.None)] = watch;
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 10_000; i++)
        {
            var job = new ProviderJob("Krea", "job-" + i, "queued", JobStatus.Queued) { CreatedUtc = Epoch.AddSeconds(i) };
            watch.Apply(new JobChange(JobChangeKind.New, job, null, null, now));
            if (i >= 3)
            {
                // Each job finishes soon after it came: three are left unfinished at any time.
                var done = new ProviderJob("Krea", "job-" + (i - 3), "completed", JobStatus.Succeeded) { CreatedUtc = Epoch.AddSeconds(i - 3) };
                watch.Apply(new JobChange(JobChangeKind.StatusChanged, done, JobStatus.Queued, JobOutcome.Unfinished, now));
            }
        }

        var bytes = Bytes(state);

        Assert.Equal(3, watch.Unfinished.Count);
        Assert.True(bytes.Length < 1024, $"{bytes.Length} bytes after 10,000 jobs");
        Assert.Contains("\"version\": 2", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_format_version_reads_as_written_by_hand_with_the_outcome_its_status_gave()
    {
        var text = """{"format":"JobsModule.WatchState","version":1,"accounts":{"Krea|Krea|https://api.krea.ai/":{"newest":"2026-12-07T10:00:00.1234567Z","newestIds":["n"],"unfinished":{"u":{"status":"Running"},"k":{"status":"Unknown"}},"undated":["d"]}}}""";

        var state = WatchStateFormat.Read(Encoding.UTF8.GetBytes(text), out var problem);

        Assert.Null(problem);
        var account = state!.Accounts["Krea|Krea|https://api.krea.ai/"];
        Assert.Equal(new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc).AddTicks(1234567), account.NewestUtc);
        Assert.Equal(DateTimeKind.Utc, account.NewestUtc!.Value.Kind);
        Assert.Equal(new WatchedJob(JobStatus.Running, JobOutcome.Unfinished), account.Unfinished["u"]);
        Assert.Equal(new WatchedJob(JobStatus.Unknown, JobOutcome.Unverified), account.Unfinished["k"]);
        Assert.Equal(new[] { "n" }, account.NewestIds);
        Assert.Equal(new[] { "d" }, account.Undated);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":1,\"accounts\":{", "not valid JSON")]
    [InlineData("[1,2]", "not a Watch-ProviderJob state file")]
    [InlineData("{\"format\":\"Other\",\"version\":1,\"accounts\":{}}", "not a Watch-ProviderJob state file")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"accounts\":{}}", "format version is missing")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":0,\"accounts\":{}}", "format version is missing")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":3,\"accounts\":{}}", "format version 3 by a later JobsModule")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":1}", "no accounts object")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":1,\"accounts\":{\"a\":{\"newest\":\"yesterday\",\"newestIds\":[],\"unfinished\":{},\"undated\":[]}}}", "entry of account 'a' is damaged")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":1,\"accounts\":{\"a\":{\"newest\":null,\"newestIds\":[1],\"unfinished\":{},\"undated\":[]}}}", "entry of account 'a' is damaged")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":1,\"accounts\":{\"a\":{\"newest\":null,\"newestIds\":[],\"unfinished\":{\"x\":{\"status\":\"Failed\"}},\"undated\":[]}}}", "entry of account 'a' is damaged")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":1,\"accounts\":{\"a\":{\"newest\":null,\"newestIds\":[],\"unfinished\":{\"x\":{\"status\":\"Sleeping\"}},\"undated\":[]}}}", "entry of account 'a' is damaged")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":2,\"accounts\":{\"a\":{\"newest\":null,\"newestIds\":[],\"unfinished\":{\"x\":{\"status\":\"Running\"}},\"undated\":[]}}}", "entry of account 'a' is damaged")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":2,\"accounts\":{\"a\":{\"newest\":null,\"newestIds\":[],\"unfinished\":{\"x\":{\"status\":\"Running\",\"outcome\":\"Great\"}},\"undated\":[]}}}", "entry of account 'a' is damaged")]
    [InlineData("{\"format\":\"JobsModule.WatchState\",\"version\":2,\"accounts\":{\"a\":{\"newest\":null,\"newestIds\":[],\"unfinished\":{\"x\":{\"status\":\"Succeeded\",\"outcome\":\"Complete\"}},\"undated\":[]}}}", "entry of account 'a' is damaged")]
    public void A_file_that_is_not_a_state_this_module_reads_is_refused_with_the_reason(string text, string reason)
    {
        Assert.Null(WatchStateFormat.Read(Encoding.UTF8.GetBytes(text), out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_file_is_held_by_one_run_saved_in_one_step_and_a_damaged_one_is_left_as_it_is()
    {
        var folder = Directory.CreateTempSubdirectory("watch-state-");
        try
        {
            var path = Path.Combine(folder.FullName, "state.json");
            using (var first = WatchStateFile.Open(path, out var none, out var problem))
            {
                Assert.Null(problem);
                Assert.Null(none);
                Assert.Null(WatchStateFile.Open(path, out _, out var busy));
                Assert.Equal(ProblemKind.WatchStateInUse, busy!.Kind);
                Assert.True(busy.StopsCall);

                var state = new WatchState();
                state.Accounts["k"] = AccountWatch.Baseline(new[] { new ProviderJob("Krea", "a", "queued", JobStatus.Queued) { CreatedUtc = Epoch } }, DateTimeOffset.UtcNow);
                Assert.Null(first!.Save(state));
                Assert.Null(first.Save(state));
            }

            // Released with the run; only the state and its lock file are left (no temporary file).
            using (var second = WatchStateFile.Open(path, out var read, out var problem))
            {
                Assert.Null(problem);
                Assert.Equal(JobStatus.Queued, read!.Accounts["k"].Unfinished["a"].Status);
            }

            Assert.Equal(new[] { "state.json", "state.json.lock" }, folder.GetFiles().Select(file => file.Name).OrderBy(name => name, StringComparer.Ordinal));

            File.WriteAllText(path, "{\"format\":\"JobsModule.WatchState\"");
            Assert.Null(WatchStateFile.Open(path, out _, out var damaged));
            Assert.Equal(ProblemKind.WatchStateInvalid, damaged!.Kind);
            Assert.Equal("{\"format\":\"JobsModule.WatchState\"", File.ReadAllText(path));

            // The damaged file's run released the lock as well.
            File.Delete(path);
            using var third = WatchStateFile.Open(path, out _, out var again);
            Assert.Null(again);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
