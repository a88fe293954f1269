namespace JobsModule.Tests;

public class ListingPlanTests
{
    private static ListingPlan Plan(IJobProvider provider, JobQuery query) => new(provider.Info, query);

    private static ProviderJob Job(JobStatus status, string? kind = null, DateTime? created = null) =>
        new("Test", "id", status.ToString(), status) { Kind = kind, CreatedUtc = created };

    [Fact]
    public void An_empty_query_sends_nothing_and_keeps_every_job()
    {
        var plan = Plan(new KreaProvider(), new JobQuery());

        Assert.Null(plan.Server.Status);
        Assert.Empty(plan.Server.Kinds);
        Assert.Null(plan.Server.WorkflowId);
        Assert.Null(plan.Server.InputUri);
        Assert.Null(plan.Server.CreatedBefore);
        Assert.True(plan.KeepsEveryJob);
        Assert.False(plan.StopsAtCreatedAfter);
        Assert.True(plan.Matches(Job(JobStatus.Unknown)));
    }

    [Theory]
    [InlineData("PyannoteAI", JobStatus.Running, "running")]
    [InlineData("PyannoteAI", JobStatus.Canceled, "canceled")]
    [InlineData("Ittybit", JobStatus.Failed, "failed")]
    [InlineData("Ittybit", JobStatus.Canceled, "cancelled")]
    [InlineData("Convertly", JobStatus.Succeeded, "completed")]
    [InlineData("Unstructured", JobStatus.Canceled, "STOPPED")]
    [InlineData("Krea", JobStatus.Succeeded, "completed")]
    [InlineData("Krea", JobStatus.Canceled, "cancelled")]
    public void A_status_with_one_raw_value_goes_to_the_server(string provider, JobStatus status, string raw)
    {
        var plan = Plan(ProviderRegistry.Find(provider)!, new JobQuery { Statuses = new[] { status } });

        Assert.Equal(raw, plan.Server.Status);
        Assert.True(plan.KeepsEveryJob);
    }

    [Theory]
    [InlineData("Krea", JobStatus.Queued)]
    [InlineData("Krea", JobStatus.Running)]
    [InlineData("PyannoteAI", JobStatus.Queued)]
    public void A_status_with_several_raw_values_is_filtered_here(string provider, JobStatus status)
    {
        var plan = Plan(ProviderRegistry.Find(provider)!, new JobQuery { Statuses = new[] { status } });

        Assert.Null(plan.Server.Status);
        Assert.False(plan.KeepsEveryJob);
        Assert.True(plan.Matches(Job(status)));
        Assert.False(plan.Matches(Job(JobStatus.Succeeded)));
    }

    [Fact]
    public void Several_statuses_are_filtered_here()
    {
        var plan = Plan(new IttybitProvider(), new JobQuery { Statuses = new[] { JobStatus.Failed, JobStatus.Canceled } });

        Assert.Null(plan.Server.Status);
        Assert.False(plan.KeepsEveryJob);
        Assert.True(plan.Matches(Job(JobStatus.Failed)));
        Assert.True(plan.Matches(Job(JobStatus.Canceled)));
        Assert.False(plan.Matches(Job(JobStatus.Running)));
    }

    [Fact]
    public void Unknown_is_filtered_here()
    {
        var plan = Plan(new IttybitProvider(), new JobQuery { Statuses = new[] { JobStatus.Unknown } });

        Assert.Null(plan.Server.Status);
        Assert.False(plan.KeepsEveryJob);
        Assert.True(plan.Matches(Job(JobStatus.Unknown)));
        Assert.False(plan.Matches(Job(JobStatus.Queued)));
    }

    [Fact]
    public void Unknown_with_a_single_raw_status_is_still_filtered_here()
    {
        var plan = Plan(new IttybitProvider(), new JobQuery { Statuses = new[] { JobStatus.Unknown, JobStatus.Failed } });

        Assert.Null(plan.Server.Status);
        Assert.True(plan.Matches(Job(JobStatus.Unknown)));
        Assert.True(plan.Matches(Job(JobStatus.Failed)));
        Assert.False(plan.Matches(Job(JobStatus.Succeeded)));
    }

    [Fact]
    public void A_status_the_provider_lacks_is_filtered_here()
    {
        var plan = Plan(new ConvertlyProvider(), new JobQuery { Statuses = new[] { JobStatus.Canceled } });

        Assert.Null(plan.Server.Status);
        Assert.False(plan.KeepsEveryJob);
        Assert.False(plan.Matches(Job(JobStatus.Succeeded)));
    }

    [Fact]
    public void Ittybit_sends_one_kind_to_the_server()
    {
        var plan = Plan(new IttybitProvider(), new JobQuery { Kinds = new[] { "video" } });

        Assert.Equal(new[] { "video" }, plan.Server.Kinds);
        Assert.True(plan.KeepsEveryJob);
    }

    [Fact]
    public void Ittybit_filters_several_kinds_here()
    {
        var plan = Plan(new IttybitProvider(), new JobQuery { Kinds = new[] { "video", "audio" } });

        Assert.Empty(plan.Server.Kinds);
        Assert.False(plan.KeepsEveryJob);
        Assert.True(plan.Matches(Job(JobStatus.Succeeded, "AUDIO")));
        Assert.False(plan.Matches(Job(JobStatus.Succeeded, "image")));
        Assert.False(plan.Matches(Job(JobStatus.Succeeded, null)));
    }

    [Fact]
    public void Krea_sends_a_list_of_kinds_to_the_server()
    {
        var plan = Plan(new KreaProvider(), new JobQuery { Kinds = new[] { "flux", "k1", "externalImage" } });

        Assert.Equal(new[] { "flux", "k1", "externalImage" }, plan.Server.Kinds);
        Assert.True(plan.KeepsEveryJob);
    }

    [Theory]
    [InlineData("Convertly", "convert")]
    [InlineData("Unstructured", "ephemeral")]
    public void Convertly_and_Unstructured_filter_kinds_here(string provider, string kind)
    {
        var plan = Plan(ProviderRegistry.Find(provider)!, new JobQuery { Kinds = new[] { kind } });

        Assert.Empty(plan.Server.Kinds);
        Assert.False(plan.KeepsEveryJob);
        Assert.True(plan.Matches(Job(JobStatus.Succeeded, kind)));
        Assert.False(plan.Matches(Job(JobStatus.Succeeded, "other")));
    }

    [Fact]
    public void WorkflowId_and_InputUri_go_to_the_server()
    {
        var unstructured = Plan(new UnstructuredProvider(), new JobQuery { WorkflowId = "wf-9" });
        var ittybit = Plan(new IttybitProvider(), new JobQuery { InputUri = "https://example.com/a.mp4" });

        Assert.Equal("wf-9", unstructured.Server.WorkflowId);
        Assert.True(unstructured.KeepsEveryJob);
        Assert.Equal("https://example.com/a.mp4", ittybit.Server.InputUri);
        Assert.True(ittybit.KeepsEveryJob);
    }

    [Fact]
    public void Krea_starts_at_CreatedBefore_rounded_up_to_the_millisecond()
    {
        var before = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1);
        var plan = Plan(new KreaProvider(), new JobQuery { CreatedBefore = before });

        Assert.Equal(new DateTime(2026, 1, 1, 12, 0, 0, 1, DateTimeKind.Utc), plan.Server.CreatedBefore);
        Assert.True(plan.KeepsEveryJob);

        // The exclusive bound itself still holds for jobs in that last millisecond.
        Assert.False(plan.Matches(Job(JobStatus.Succeeded, created: before)));
        Assert.True(plan.Matches(Job(JobStatus.Succeeded, created: before.AddTicks(-1))));
    }

    [Fact]
    public void Krea_keeps_a_whole_millisecond_CreatedBefore()
    {
        var before = new DateTime(2026, 1, 1, 12, 0, 0, 5, DateTimeKind.Utc);

        Assert.Equal(before, Plan(new KreaProvider(), new JobQuery { CreatedBefore = before }).Server.CreatedBefore);
    }

    [Theory]
    [InlineData("PyannoteAI")]
    [InlineData("Ittybit")]
    [InlineData("Convertly")]
    [InlineData("Unstructured")]
    public void Other_providers_filter_CreatedBefore_here(string provider)
    {
        var before = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var plan = Plan(ProviderRegistry.Find(provider)!, new JobQuery { CreatedBefore = before });

        Assert.Null(plan.Server.CreatedBefore);
        Assert.False(plan.KeepsEveryJob);
        Assert.False(plan.Matches(Job(JobStatus.Succeeded, created: before)));
        Assert.True(plan.Matches(Job(JobStatus.Succeeded, created: before.AddSeconds(-1))));
    }

    [Fact]
    public void CreatedAfter_stops_newest_first_providers()
    {
        var after = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var plan = Plan(new PyannoteAIProvider(), new JobQuery { CreatedAfter = after });

        Assert.True(plan.StopsAtCreatedAfter);
        Assert.True(plan.KeepsEveryJob);
        Assert.True(plan.IsBeforeCreatedAfter(Job(JobStatus.Succeeded, created: after.AddTicks(-1))));
        Assert.False(plan.IsBeforeCreatedAfter(Job(JobStatus.Succeeded, created: after)));
        Assert.False(plan.IsBeforeCreatedAfter(Job(JobStatus.Succeeded, created: null)));
    }

    [Fact]
    public void CreatedAfter_only_filters_on_Unstructured()
    {
        var after = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var plan = Plan(new UnstructuredProvider(), new JobQuery { CreatedAfter = after });

        Assert.False(plan.StopsAtCreatedAfter);
        Assert.False(plan.KeepsEveryJob);
        Assert.True(plan.Matches(Job(JobStatus.Succeeded, created: after)));
        Assert.False(plan.Matches(Job(JobStatus.Succeeded, created: after.AddSeconds(-1))));
    }
}

public class QueryProblemTests
{
    [Fact]
    public void A_valid_query_has_no_problems()
    {
        foreach (var provider in ProviderRegistry.All)
        {
            Assert.Empty(new JobQuery { Statuses = new[] { JobStatus.Failed }, PageSize = 1 }.ProblemsWith(provider.Info));
        }
    }

    [Theory]
    [InlineData("PyannoteAI", 101, 100)]
    [InlineData("Ittybit", 101, 100)]
    [InlineData("Convertly", 500, 100)]
    [InlineData("Krea", 1001, 1000)]
    public void A_page_size_above_the_maximum(string name, int size, int max)
    {
        var info = ProviderRegistry.Find(name)!.Info;

        var problem = Assert.Single(new JobQuery { PageSize = size }.ProblemsWith(info));
        Assert.Equal(QueryProblemKind.PageSizeOutOfRange, problem.Kind);
        Assert.Equal("PageSize", problem.Parameter);
        Assert.Contains(name, problem.Message, StringComparison.Ordinal);
        Assert.Contains(max.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.Message, StringComparison.Ordinal);
        Assert.Empty(new JobQuery { PageSize = max }.ProblemsWith(info));
    }

    [Fact]
    public void Unstructured_takes_any_page_size()
    {
        Assert.Empty(new JobQuery { PageSize = 5000 }.ProblemsWith(new UnstructuredProvider().Info));
    }

    [Fact]
    public void Kind_on_pyannoteAI()
    {
        var problem = Assert.Single(new JobQuery { Kinds = new[] { "diarize" } }.ProblemsWith(new PyannoteAIProvider().Info));

        Assert.Equal(QueryProblemKind.FilterNotSupported, problem.Kind);
        Assert.Equal("Kind", problem.Parameter);
        Assert.Contains("PyannoteAI cannot filter by -Kind", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ittybit", "gif", "video, audio, image, animation, adaptive_video")]
    [InlineData("Convertly", "zip", "convert, compress, media_tool, transfer")]
    public void An_unknown_kind(string name, string kind, string valid)
    {
        var problem = Assert.Single(new JobQuery { Kinds = new[] { kind } }.ProblemsWith(ProviderRegistry.Find(name)!.Info));

        Assert.Equal(QueryProblemKind.InvalidKind, problem.Kind);
        Assert.Equal("Kind", problem.Parameter);
        Assert.Contains($"'{kind}'", problem.Message, StringComparison.Ordinal);
        Assert.Contains(valid, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_unknown_kind_is_one_problem_and_known_kinds_ignore_case()
    {
        var problems = new JobQuery { Kinds = new[] { "VIDEO", "gif", "webm" } }.ProblemsWith(new IttybitProvider().Info);

        Assert.Equal(2, problems.Count);
        Assert.All(problems, problem => Assert.Equal(QueryProblemKind.InvalidKind, problem.Kind));
    }

    [Fact]
    public void Krea_takes_any_kind()
    {
        Assert.Empty(new JobQuery { Kinds = new[] { "anything-new" } }.ProblemsWith(new KreaProvider().Info));
    }

    [Theory]
    [InlineData("PyannoteAI")]
    [InlineData("Ittybit")]
    [InlineData("Convertly")]
    [InlineData("Krea")]
    public void WorkflowId_where_there_is_none(string name)
    {
        var problem = Assert.Single(new JobQuery { WorkflowId = "wf" }.ProblemsWith(ProviderRegistry.Find(name)!.Info));

        Assert.Equal(QueryProblemKind.FilterNotSupported, problem.Kind);
        Assert.Equal("WorkflowId", problem.Parameter);
    }

    [Theory]
    [InlineData("PyannoteAI")]
    [InlineData("Convertly")]
    [InlineData("Unstructured")]
    [InlineData("Krea")]
    public void InputUri_where_there_is_none(string name)
    {
        var problem = Assert.Single(new JobQuery { InputUri = "https://example.com/a" }.ProblemsWith(ProviderRegistry.Find(name)!.Info));

        Assert.Equal(QueryProblemKind.FilterNotSupported, problem.Kind);
        Assert.Equal("InputUri", problem.Parameter);
    }

    [Fact]
    public void Supported_filters_have_no_problems()
    {
        Assert.Empty(new JobQuery { WorkflowId = "wf" }.ProblemsWith(new UnstructuredProvider().Info));
        Assert.Empty(new JobQuery { InputUri = "https://example.com/a", Kinds = new[] { "video" } }.ProblemsWith(new IttybitProvider().Info));
    }

    [Fact]
    public void Problems_add_up()
    {
        var problems = new JobQuery { PageSize = 200, Kinds = new[] { "x" }, WorkflowId = "wf", InputUri = "u" }.ProblemsWith(new PyannoteAIProvider().Info);

        Assert.Equal(new[] { "PageSize", "Kind", "WorkflowId", "InputUri" }, problems.Select(problem => problem.Parameter));
    }
}
