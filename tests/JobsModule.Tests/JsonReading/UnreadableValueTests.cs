using System.Text.Json;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>One value a provider sends that cannot be read loses that value only: never the job, the page or the listing.</summary>
public class UnreadableValueTests
{
    public static TheoryData<string, string, string, string> AbsurdValues => new()
    {
        // provider, field, the job's JSON with the absurd value, the raw value as kept
        { "Unstructured", "runtime", """{"id":"u2","status":"COMPLETED","created_at":"2026-01-01T00:00:00Z","workflow_id":"w","workflow_name":"n","runtime":"P99999999D"}""", "P99999999D" },
        { "Ittybit", "created_at", """{"id":"i2","status":"succeeded","kind":"video","created_at":99999999999999999}""", "99999999999999999" },
        { "PyannoteAI", "createdAt", """{"id":"p2","status":"running","createdAt":"not a date"}""", "not a date" },
        { "Krea", "completed_at", """{"job_id":"k2","status":"completed","created_at":"2026-01-01T00:00:00Z","completed_at":"yesterday-ish"}""", "yesterday-ish" },
        { "Convertly", "total_files", """{"id":"c2","status":"completed","job_type":"convert","created_at":"2026-01-01T00:00:00Z","total_files":99999999999999999999}""", "99999999999999999999" },
    };

    [Theory]
    [MemberData(nameof(AbsurdValues))]
    public void The_job_is_written_with_the_field_empty_the_raw_value_kept_and_one_warning(string providerName, string field, string absurdJob, string raw)
    {
        var provider = ProviderRegistry.Find(providerName)!;
        var run = TestListing.Run(provider, new StubHandler(Respond.Json(PageOf(providerName, Good(providerName, "1"), absurdJob, Good(providerName, "3"))))).Succeeded();

        Assert.Equal(3, run.Jobs.Count);
        var job = run.Jobs[1];
        var kept = Assert.Single(job.UnreadableFields!);
        Assert.Equal(field, kept.Key);
        Assert.Equal(raw, JsonSerializer.Serialize(kept.Value).Trim('"'));
        Assert.Null(run.Jobs[0].UnreadableFields);
        Assert.Null(run.Jobs[2].UnreadableFields);

        var warning = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Warning);
        Assert.Contains(providerName, warning.Text, StringComparison.Ordinal);
        Assert.Contains("'" + job.Id + "'", warning.Text, StringComparison.Ordinal);
        Assert.Contains("'" + field + "'", warning.Text, StringComparison.Ordinal);
        Assert.Contains(raw, warning.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", warning.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Messages, message => message.Kind == LogMessageKind.Error);
    }

    [Fact]
    public void The_same_unreadable_field_on_many_jobs_is_one_warning_and_each_job_keeps_its_value()
    {
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPageOf(
            null,
            "next_cursor",
            """{"job_id":"a","status":"completed","created_at":"2026-01-02T00:00:00Z","completed_at":"soon"}""",
            """{"job_id":"b","status":"completed","created_at":"2026-01-01T00:00:00Z","completed_at":"later"}""")))).Succeeded();

        Assert.Equal("soon", run.Jobs[0].UnreadableFields!["completed_at"]);
        Assert.Equal("later", run.Jobs[1].UnreadableFields!["completed_at"]);
        Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Warning);
    }

    [Fact]
    public void A_job_without_an_id_is_an_error_naming_its_place_and_the_rest_goes_on()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(
                Respond.Json(KreaPageOf("2026-01-01T00:00:00.000Z", "next_cursor", KreaJob("a"), """{"status":"completed","created_at":"2026-01-01T00:00:00Z"}""", KreaJob("c"))),
                Respond.Json(KreaPage(null, "d"))),
            new JobQuery { PageSize = 3 }).Succeeded();

        Assert.Equal(new[] { "a", "c", "d" }, run.Ids);
        var error = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Error);
        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Error!.Kind);
        Assert.Equal("Krea", error.Error.Provider);
        Assert.Contains("item 2 of page 1", error.Text, StringComparison.Ordinal);
        Assert.Contains("job_id", error.Text, StringComparison.Ordinal);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void Offset_paging_counts_an_unreadable_item_so_no_job_is_asked_for_twice()
    {
        var run = TestListing.Run(
            new ConvertlyProvider(),
            new StubHandler(
                Respond.Json(ConvertlyPageOf(true, 5, ConvertlyJob("a"), """{"status":"completed"}""")),
                Respond.Json(ConvertlyPage(false, 5, "c"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "c" }, run.Ids);
        Assert.Equal(new[] { "/api/jobs?limit=2&offset=0", "/api/jobs?limit=2&offset=2" }, run.PathsAndQueries);
    }

    [Theory]
    [InlineData("""{"id":"x","status":{"nested":true},"kind":"video","created_at":1711900000000}""", "status")]
    [InlineData("""{"id":"x","status":"queued","kind":"video","created_at":1711900000000,"options":[1,2]}""", "options")]
    [InlineData("""{"id":"x","status":"queued","kind":"video","created_at":1711900000000,"tasks":{"a":1}}""", "tasks")]
    [InlineData("""{"id":"x","status":"queued","kind":"video","created_at":"1711900000000.5e400"}""", "created_at")]
    [InlineData("""{"id":"x","status":"queued","kind":"video","created_at":true}""", "created_at")]
    public void Wrong_types_are_unreadable_not_errors(string json, string field)
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse(json));

        Assert.Equal("x", job.Id);
        Assert.True(job.UnreadableFields!.ContainsKey(field));
    }

    [Theory]
    [InlineData("""{"id":"x","status":"queued","created_at":1711900000000}""", "2024-03-31T15:46:40.0000000Z")]
    [InlineData("""{"id":"x","status":"queued","created_at":"1711900000000"}""", "2024-03-31T15:46:40.0000000Z")]
    [InlineData("""{"id":"x","status":"queued","created_at":1711900000000.7}""", "2024-03-31T15:46:40.0000000Z")]
    [InlineData("""{"id":"x","status":"queued","created_at":"2024-03-31T15:46:40Z"}""", "2024-03-31T15:46:40.0000000Z")]
    [InlineData("""{"id":"x","status":"queued","created_at":253402300799999}""", "9999-12-31T23:59:59.9990000Z")]
    [InlineData("""{"id":"x","status":"queued","created_at":-62135596800000}""", "0001-01-01T00:00:00.0000000Z")]
    public void Epoch_milliseconds_are_read_up_to_the_limits_of_a_date(string json, string expected)
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse(json));

        Assert.Equal(expected, job.CreatedAt!.Value.UtcDateTime.ToString("o"));
        Assert.Equal(expected.Substring(0, 23) + "Z", job.CreatedAtIso);
        Assert.Null(job.UnreadableFields);
    }

    [Theory]
    [InlineData("253402300800000")]
    [InlineData("-62135596800001")]
    [InlineData("1e300")]
    public void Epoch_milliseconds_past_the_limits_are_unreadable(string value)
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse($$"""{"id":"x","status":"queued","created_at":{{value}}}"""));

        Assert.Null(job.CreatedAt);
        Assert.True(job.UnreadableFields!.ContainsKey("created_at"));
    }

    [Theory]
    [InlineData("45", 45)]
    [InlineData("45.5", 46)]
    [InlineData("\"45\"", 45)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("-2147483648", int.MinValue)]
    public void Whole_numbers_are_read_and_fractions_rounded(string value, int expected)
    {
        var job = Assert.IsType<ConvertlyJob>(new ConvertlyProvider().ReadJob(TestListing.Parse($$"""{"id":"c","status":"processing","progress":{{value}}}""")));

        Assert.Equal(expected, job.Progress);
        Assert.Null(job.UnreadableFields);
    }

    [Theory]
    [InlineData("2147483648")]
    [InlineData("-2147483649")]
    [InlineData("\"many\"")]
    [InlineData("[1]")]
    [InlineData("true")]
    public void Numbers_out_of_range_or_not_numbers_are_unreadable(string value)
    {
        var job = Assert.IsType<ConvertlyJob>(new ConvertlyProvider().ReadJob(TestListing.Parse($$"""{"id":"c","status":"processing","progress":{{value}}}""")));

        Assert.Null(job.Progress);
        Assert.True(job.UnreadableFields!.ContainsKey("progress"));
    }

    [Theory]
    [InlineData("\"PT2M30S\"", 150.0)]
    [InlineData("\"P1DT1S\"", 86401.0)]
    public void Durations_are_read(string value, double seconds)
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse($$"""{"id":"u","status":"COMPLETED","runtime":{{value}}}"""));

        Assert.Equal(TimeSpan.FromSeconds(seconds), job.Duration);
    }

    [Theory]
    [InlineData("\"P99999999D\"")]
    [InlineData("\"two minutes\"")]
    [InlineData("150")]
    public void Durations_that_are_not_durations_are_unreadable(string value)
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse($$"""{"id":"u","status":"COMPLETED","runtime":{{value}}}"""));

        Assert.Null(job.Duration);
        Assert.True(job.UnreadableFields!.ContainsKey("runtime"));
    }

    [Fact]
    public void A_nested_unreadable_value_is_kept_under_its_path()
    {
        var job = new KreaProvider().ReadJob(TestListing.Parse("""{"job_id":"k","status":"completed","created_at":"2026-01-01T00:00:00Z","result":{"urls":"https://x/1.png","style_id":"s"}}"""));

        Assert.Null(job.ResultUrls);
        Assert.Equal("s", job.StyleId);
        Assert.Equal("https://x/1.png", job.UnreadableFields!["result.urls"]);
    }

    [Fact]
    public void A_result_that_is_not_an_object_is_unreadable()
    {
        var job = new KreaProvider().ReadJob(TestListing.Parse("""{"job_id":"k","status":"completed","created_at":"2026-01-01T00:00:00Z","result":"done"}"""));

        Assert.Null(job.ResultUrls);
        Assert.Equal("done", job.UnreadableFields!["result"]);
    }

    [Theory]
    [InlineData("""{"id":{"a":1},"status":"queued"}""")]
    [InlineData("""{"id":["a"],"status":"queued"}""")]
    [InlineData("""{"id":"","status":"queued"}""")]
    [InlineData("""{"id":null,"status":"queued"}""")]
    [InlineData("""{"status":"queued"}""")]
    public void An_id_that_is_no_id_makes_the_job_unreadable(string json) =>
        Assert.Throws<ProviderResponseShapeException>(() => new IttybitProvider().ReadJob(TestListing.Parse(json)));

    [Fact]
    public void A_numeric_id_is_taken_as_its_text()
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse("""{"id":12345,"status":"queued"}"""));

        Assert.Equal("12345", job.Id);
    }

    [Fact]
    public void Unstructured_job_type_is_ephemeral_when_absent()
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse("""{"id":"u","status":"COMPLETED"}"""));
        var run = TestListing.Run(
            new UnstructuredProvider(),
            new StubHandler(Respond.Json("""[{"id":"u1","status":"COMPLETED","created_at":"2026-01-02T00:00:00Z"},{"id":"u2","status":"COMPLETED","created_at":"2026-01-01T00:00:00Z","job_type":"persistent"}]""")),
            new JobQuery { Kinds = new[] { "ephemeral" } }).Succeeded();

        Assert.Equal("ephemeral", job.Kind);
        Assert.Equal(new[] { "u1" }, run.Ids);
    }

    private static string Good(string provider, string id) => provider switch
    {
        "PyannoteAI" => PyannoteJob("p" + id),
        "Ittybit" => IttybitJob("i" + id),
        "Convertly" => ConvertlyJob("c" + id),
        "Unstructured" => UnstructuredJob("u" + id),
        _ => KreaJob("k" + id),
    };

    private static string PageOf(string provider, params string[] jobs) => provider switch
    {
        "PyannoteAI" => PyannoteV2PageOf(null, jobs),
        "Ittybit" => "[" + string.Join(",", jobs) + "]",
        "Convertly" => ConvertlyPageOf(false, jobs.Length, jobs),
        "Unstructured" => UnstructuredPageOf(jobs),
        _ => KreaPageOf(null, "next_cursor", jobs),
    };
}
