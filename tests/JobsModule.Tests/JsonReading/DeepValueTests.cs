using System.Text.Json;
using CsCheck;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// Depth never costs a page: a value nested deeper than JobData.MaxDepth is one unreadable field, kept
/// as its JSON text cut to JobData.MaxRawLength, while the job, its page and the listing go on; what is
/// kept always serialises; the JSON reader's own words never reach a message.
/// </summary>
public class DeepValueTests
{
    public static TheoryData<string, string, string> DeepFields => new()
    {
        // provider, the field a creator controls (documented where the provider has one), the property it would fill
        { "PyannoteAI", "output", "Output" },
        { "Ittybit", "metadata", "Metadata" },
        { "Convertly", "results", "Results" },
        { "Unstructured", "output_node_files", "OutputNodeFiles" },
        { "Krea", "settings", "ExtraFields" },
    };

    [Theory]
    [MemberData(nameof(DeepFields))]
    public void A_field_nested_1000_deep_loses_that_field_only_and_every_later_job_and_page_is_listed(string providerName, string field, string property)
    {
        var provider = ProviderRegistry.Find(providerName)!;
        var paged = provider.Info.MaxPageSize is not null;
        var first = Enumerable.Range(0, 60).Select(i => i == 17 ? WithField(Job(providerName, "a" + i), field, Deep(1000)) : Job(providerName, "a" + i)).ToArray();
        var second = Enumerable.Range(0, 40).Select(i => Job(providerName, "b" + i)).ToArray();
        var stub = new StubHandler((_, index) => Respond.Json(index == 0 ? Page(providerName, first, more: paged) : Page(providerName, second, more: false)));

        var run = TestListing.Run(provider, stub, new JobQuery { PageSize = paged ? 60 : null }).Succeeded();

        Assert.Equal(paged ? 100 : 60, run.Jobs.Count);
        Assert.Equal(paged ? 2 : 1, stub.Count);
        var deep = run.Jobs[17];
        var kept = Assert.IsType<string>(deep.UnreadableFields![field]);
        Assert.StartsWith("{\"nested\":{\"nested\":", kept, StringComparison.Ordinal);
        Assert.EndsWith("... (11,006 characters)", kept, StringComparison.Ordinal);
        Assert.Equal(JobData.MaxRawLength + "... (11,006 characters)".Length, kept.Length);
        Assert.False(deep.ExtraFields.ContainsKey(field));
        if (property != "ExtraFields")
        {
            Assert.Null(deep.GetType().GetProperty(property)!.GetValue(deep));
        }

        Assert.All(run.Jobs.Where(job => job != deep), job => Assert.Null(job.UnreadableFields));
        var warning = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Warning);
        Assert.Contains("'" + field + "'", warning.Text, StringComparison.Ordinal);
        Assert.Contains("'" + deep.Id + "'", warning.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Messages, message => message.Kind == LogMessageKind.Error);
        AssertNoReaderWords(run.Messages.Select(message => message.Text));
    }

    [Theory]
    [MemberData(nameof(DeepFields))]
    public async Task A_job_read_by_id_with_a_field_nested_1000_deep_is_read_with_that_field_unreadable(string providerName, string field, string property)
    {
        var provider = ProviderRegistry.Find(providerName)!;
        var body = WithField(SingleJob(providerName, "x1"), field, Deep(1000));
        var log = new CallLog();

        var job = await new JobLister(new HttpClient(new StubHandler(Respond.Json(body)))).GetJobAsync(TestListing.Endpoint(provider), "x1", TestListing.Fast.Call(log, default));

        Assert.Equal("x1", job.Id);
        Assert.StartsWith("{\"nested\":", Assert.IsType<string>(job.UnreadableFields![field]), StringComparison.Ordinal);
        if (property != "ExtraFields")
        {
            Assert.Null(job.GetType().GetProperty(property)!.GetValue(job));
        }

        var texts = new List<string>();
        while (log.TryTake(out var message))
        {
            texts.Add(message.Text);
        }

        Assert.Single(texts, text => text.Contains("'" + field + "'", StringComparison.Ordinal));
        AssertNoReaderWords(texts);
    }

    [Theory]
    [InlineData("before")]
    [InlineData("after")]
    public void A_page_field_nested_1000_deep_costs_nothing(string where)
    {
        var deep = "\"trace\":" + Deep(1000);
        var items = "\"items\":[" + string.Join(",", Enumerable.Range(0, 50).Select(i => KreaJob("k" + i))) + "]";
        var page = where == "before" ? "{" + deep + "," + items + ",\"next_cursor\":\"2025-01-01T00:00:00.000Z\"}" : "{" + items + "," + deep + ",\"next_cursor\":\"2025-01-01T00:00:00.000Z\"}";
        var stub = new StubHandler(Respond.Json(page), Respond.Json(KreaPage(null, "last")));

        var run = TestListing.Run(new KreaProvider(), stub, new JobQuery { PageSize = 50 }).Succeeded();

        Assert.Equal(51, run.Jobs.Count);
        Assert.Equal(new[] { "/jobs?limit=50", "/jobs?cursor=2025-01-01T00%3A00%3A00.000Z&limit=50" }, run.PathsAndQueries);
        Assert.DoesNotContain(run.Messages, message => message.Kind is LogMessageKind.Warning or LogMessageKind.Error);
    }

    [Fact]
    public async Task A_value_nested_100000_deep_is_read_without_running_out_of_stack()
    {
        var lists = new string('[', 100_000) + new string(']', 100_000);
        var body = """{"id":"i1","status":"queued","metadata":""" + Deep(100_000) + ",\"lists\":" + lists + "}";

        var job = (IttybitJob)await new JobLister(new HttpClient(new StubHandler(Respond.Json(body)))).GetJobAsync(TestListing.Endpoint(new IttybitProvider()), "i1", TestListing.Fast.Call(new CallLog(), default));

        Assert.Null(job.Metadata);
        Assert.Equal(2, job.UnreadableFields!.Count);
        Assert.StartsWith(new string('[', JobData.MaxRawLength), (string)job.UnreadableFields["lists"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_as_deep_as_allowed_is_kept_and_serialises_one_more_is_unreadable()
    {
        var job = new KreaProvider().ReadJob(TestListing.Parse(
            """{"job_id":"k","status":"completed","kept":""" + Deep(JobData.MaxDepth) + ",\"lost\":" + Deep(JobData.MaxDepth + 1) + "}"));

        var kept = Assert.IsType<JobDataObject>(job.ExtraFields["kept"]);
        Assert.Equal(JobData.MaxDepth, DepthOf(kept));
        Assert.Equal(new[] { "lost" }, job.UnreadableFields!.Keys);

        // What the module writes serialises, nested values and all: as compact JSON, and as the whole job.
        Assert.StartsWith("{\"kept\":{\"nested\":", job.ExtraFields.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"lost\":\"{\\\"nested\\\":", job.UnreadableFields.ToString(), StringComparison.Ordinal);
        using var whole = JsonDocument.Parse(JsonSerializer.Serialize(job, job.GetType()));
        Assert.Equal("k", whole.RootElement.GetProperty("Id").GetString());
    }

    [Fact]
    public void A_deep_value_holding_a_key_is_kept_redacted()
    {
        var body = """{"job_id":"k","status":"completed","settings":""" + Deep(500, "\"" + TestListing.Key + "\"") + "}";

        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPageOf(null, "next_cursor", body)))).Succeeded();

        var kept = (string)Assert.Single(run.Jobs).UnreadableFields!["settings"]!;
        Assert.DoesNotContain(TestListing.Key, kept, StringComparison.Ordinal);
        Assert.All(run.Messages, message => Assert.DoesNotContain(TestListing.Key, message.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void A_nested_field_too_deep_to_read_is_kept_under_its_path_and_its_neighbours_are_read()
    {
        var job = ReadKrea("""{"job_id":"k","status":"completed","result":{"urls":[""" + Deep(40) + """],"style_id":"s"}}""");

        Assert.Null(job.ResultUrls);
        Assert.Equal("s", job.StyleId);
        Assert.Equal(new[] { "result.urls" }, job.UnreadableFields!.Keys);
        Assert.StartsWith("[{\"nested\":", (string)job.UnreadableFields["result.urls"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_too_deep_to_parse_is_kept_whole_under_its_own_name()
    {
        // Deeper than a document holds: the top-level field that holds it is taken out before parsing, whole.
        var job = ReadKrea("""{"job_id":"k","status":"completed","result":{"urls":[""" + Deep(200) + """],"style_id":"s"},"type":"flux"}""");

        Assert.Null(job.ResultUrls);
        Assert.Null(job.StyleId);
        Assert.Equal("flux", job.Kind);
        Assert.Equal(new[] { "result" }, job.UnreadableFields!.Keys);
        Assert.StartsWith("{\"urls\":[{\"nested\":", (string)job.UnreadableFields["result"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void An_id_too_deep_to_parse_is_no_id_an_error_for_that_item_only()
    {
        var items = string.Join(",", KreaJob("a"), """{"job_id":""" + Deep(100) + ""","status":"completed"}""", KreaJob("c"));

        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPageOf(null, "next_cursor", items)))).Succeeded();

        Assert.Equal(new[] { "a", "c" }, run.Ids);
        var error = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Error);
        Assert.Contains("item 2 of page 1", error.Text, StringComparison.Ordinal);
        AssertNoReaderWords(new[] { error.Text });
    }

    private static KreaJob ReadKrea(string item) =>
        (KreaJob)Assert.Single(TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPageOf(null, "next_cursor", item)))).Succeeded().Jobs);

    [Fact]
    public void Whatever_the_depths_of_its_jobs_fields_a_page_is_read_whole_and_only_the_too_deep_fields_are_unreadable()
    {
        // Each job gets one extra field of objects or lists nested 0 to 3,000 deep, in a page of 1 to 8 jobs.
        var field = Gen.Select(Gen.Int[0, 3000], Gen.Bool, (levels, lists) => (Levels: levels, Lists: lists));
        field.Array[1, 8].Sample(
            fields =>
            {
                var jobs = fields.Select((f, i) => WithField(KreaJob("k" + i), "extra", f.Lists ? new string('[', f.Levels) + "1" + new string(']', f.Levels) : Deep(f.Levels, "1"))).ToArray();
                var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(KreaPageOf(null, "next_cursor", jobs)))).Succeeded();

                Assert.Equal(fields.Length, run.Jobs.Count);
                Assert.DoesNotContain(run.Messages, message => message.Kind == LogMessageKind.Error);
                for (var i = 0; i < fields.Length; i++)
                {
                    var tooDeep = fields[i].Levels > JobData.MaxDepth;
                    Assert.Equal(tooDeep, run.Jobs[i].UnreadableFields?.ContainsKey("extra") == true);
                    Assert.Equal(!tooDeep, run.Jobs[i].ExtraFields.ContainsKey("extra"));
                    Assert.StartsWith("{\"Provider\":\"Krea\"", JsonSerializer.Serialize(run.Jobs[i], run.Jobs[i].GetType()), StringComparison.Ordinal);
                }
            },
            iter: 150,
            threads: 1);
    }

    /// <summary>{"nested":{"nested":...leaf...}}, <paramref name="levels"/> objects deep.</summary>
    private static string Deep(int levels, string leaf = "\"leaf\"") =>
        string.Concat(Enumerable.Repeat("{\"nested\":", levels)) + leaf + new string('}', levels);

    private static int DepthOf(object? value) => value switch
    {
        JobDataObject obj => 1 + obj.Values.Select(DepthOf).DefaultIfEmpty(0).Max(),
        JobDataList list => 1 + list.Select(DepthOf).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    private static void AssertNoReaderWords(IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            Assert.DoesNotContain("LineNumber", text, StringComparison.Ordinal);
            Assert.DoesNotContain("BytePositionInLine", text, StringComparison.Ordinal);
            Assert.DoesNotContain("maximum configured depth", text, StringComparison.Ordinal);
        }
    }

    /// <summary>A job's JSON with one more field, added before its closing brace.</summary>
    private static string WithField(string job, string field, string value) =>
        job.Substring(0, job.Length - 1) + ",\"" + field + "\":" + value + "}";

    private static string Job(string provider, string id) => provider switch
    {
        "PyannoteAI" => PyannoteJob(id),
        "Ittybit" => IttybitJob(id),
        "Convertly" => ConvertlyJob(id),
        "Unstructured" => UnstructuredJob(id),
        _ => KreaJob(id),
    };

    private static string SingleJob(string provider, string id) => provider switch
    {
        "PyannoteAI" => $$"""{"jobId":"{{id}}","status":"succeeded","createdAt":"2026-01-01T00:00:00Z"}""",
        "Convertly" => $$"""{"jobId":"{{id}}","jobType":"convert","status":"completed","createdAt":"2026-01-01T00:00:00Z"}""",
        _ => Job(provider, id),
    };

    private static string Page(string provider, string[] jobs, bool more) => provider switch
    {
        "PyannoteAI" => PyannoteV2PageOf(more ? "0b5e8a3c-1f0e-4c4e-9d55-0a1b2c3d4e01" : null, jobs),
        "Ittybit" => "[" + string.Join(",", jobs) + "]",
        "Convertly" => ConvertlyPageOf(more, 100, jobs),
        "Unstructured" => UnstructuredPageOf(jobs),
        _ => KreaPageOf(more ? "2025-01-01T00:00:00.000Z" : null, "next_cursor", jobs),
    };
}
