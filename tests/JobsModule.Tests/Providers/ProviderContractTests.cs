using System.Net;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// What each adapter says about a body of the wrong shape (the words a user reads in
/// ProviderResponseInvalid), which spelling of a field wins when both come, and each provider's facts.
/// </summary>
public class ProviderContractTests
{
    public static TheoryData<string, string, string> WrongShapes => new()
    {
        { "PyannoteAI", "[]", "expected the response to be a JSON object but found an array" },
        { "PyannoteAI", """{"items":{}}""", "expected 'items' to be a JSON array but found an object" },
        { "PyannoteAI", """{"total":1}""", "expected a 'items' property" },
        { "Ittybit", "{}", "expected the response to be a JSON array but found an object" },
        { "Convertly", "null", "expected the response to be a JSON object but found null" },
        { "Convertly", """{"jobs":"none","pagination":{}}""", "expected 'jobs' to be a JSON array but found a string" },
        { "Convertly", """{"jobs":[],"pagination":[]}""", "expected 'pagination' to be a JSON object but found an array" },
        { "Unstructured", """{"jobs":[]}""", "expected the response to be a JSON array but found an object" },
        { "Krea", "\"jobs\"", "expected the response to be a JSON object but found a string" },
        { "Krea", """{"items":5}""", "expected 'items' to be a JSON array but found a number" },
    };

    public static TheoryData<string, string, string> WrongItems => new()
    {
        { "PyannoteAI", """{"items":["a"]}""", "expected a job to be a JSON object but found a string" },
        { "PyannoteAI", """{"items":[{"status":"running"}]}""", "a job without its 'id' or 'jobId'" },
        { "Ittybit", "[1]", "expected a job to be a JSON object but found a number" },
        { "Ittybit", """[{"id":""}]""", "a job without its 'id'" },
        { "Convertly", """{"jobs":[true],"pagination":{}}""", "expected a job to be a JSON object but found true" },
        { "Unstructured", "[[]]", "expected a job to be a JSON object but found an array" },
        { "Krea", """{"items":[false]}""", "expected a job to be a JSON object but found false" },
        { "Krea", """{"items":[{"status":"queued"}]}""", "a job without its 'job_id'" },
    };

    [Theory]
    [MemberData(nameof(WrongShapes))]
    public void A_body_of_the_wrong_shape_is_named_in_the_error(string provider, string body, string problem)
    {
        var run = TestListing.Run(ProviderRegistry.Find(provider)!, new StubHandler(Respond.Json(body)));

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.EndsWith($": the JSON is not the documented shape ({problem}).", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(WrongItems))]
    public void An_item_that_is_no_job_is_named_in_its_own_error_and_the_page_goes_on(string provider, string body, string problem)
    {
        var run = TestListing.Run(ProviderRegistry.Find(provider)!, new StubHandler(Respond.Json(body))).Succeeded();

        Assert.Empty(run.Ids);
        var error = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Error);
        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Error!.Kind);
        Assert.Contains($"(item 1 of page 1: {problem});", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Convertly_reads_the_list_spelling_before_the_single_job_spelling()
    {
        var job = new ConvertlyProvider().ReadJob(TestListing.Parse("""
            {"id":"c1","status":"failed",
             "job_type":"convert","jobType":"transfer",
             "created_at":"2026-01-01T00:00:00Z","createdAt":"2025-01-01T00:00:00Z",
             "completed_at":"2026-01-01T00:05:00Z","completedAt":"2025-01-01T00:05:00Z",
             "error_message":"list words","errorMessage":"detail words",
             "total_files":3,"totalFiles":30,"completed_files":1,"completedFiles":10,"failed_files":2,"failedFiles":20}
            """));

        Assert.Equal("convert", job.Kind);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 5, 0, DateTimeKind.Utc), job.CompletedAt);
        Assert.Equal("list words", job.Error);
        Assert.Equal(3, job.TotalFiles);
        Assert.Equal(1, job.CompletedFiles);
        Assert.Equal(2, job.FailedFiles);
        Assert.Equal(TimeSpan.FromMinutes(5), job.Duration);
    }

    [Fact]
    public void Krea_passes_back_next_cursor_before_nextCursor()
    {
        var (_, end) = TestListing.ReadPage(
            new KreaProvider(),
            """{"items":[{"job_id":"k1","status":"queued"}],"next_cursor":"snake","nextCursor":"camel"}""",
            TestListing.Context(new Uri("https://api.krea.ai/jobs"), 1000));

        Assert.Equal("snake", end.NextCursor);
    }

    [Fact]
    public void Krea_keeps_only_undocumented_fields_as_extras()
    {
        var job = new KreaProvider().ReadJob(TestListing.Parse(
            """{"job_id":"k1","status":"completed","created_at":"2026-01-01T00:00:00Z","completed_at":"2026-01-01T00:01:00Z","result":{"urls":[]},"error":null,"type":"flux","seed":7}"""));

        Assert.Equal(new[] { "seed" }, job.ExtraFields.Keys);
    }

    [Fact]
    public void PyannoteAI_stops_at_a_short_page_even_when_the_total_says_more()
    {
        var run = TestListing.Run(
            new PyannoteAIV1(),
            new StubHandler(Respond.Json(PyannotePage(10, "a", "b")), Respond.Json(PyannotePage(10, "c"))),
            new JobQuery { PageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void PyannoteAI_field_errors_follow_the_message_or_a_plain_Invalid_request()
    {
        var provider = new PyannoteAIProvider();

        var withMessage = provider.ReadError(TestListing.Parse("""{"message":"Bad query","errors":[{"field":"take","message":"too big"}]}"""));
        var without = provider.ReadError(TestListing.Parse("""{"errors":[{"field":"skip","message":"negative"}],"requestId":"r-1"}"""));
        var noErrors = provider.ReadError(TestListing.Parse("""{"message":"Bad query","errors":[]}"""));

        Assert.Equal("Bad query; take: too big", withMessage.Message);
        Assert.Equal("Invalid request; skip: negative", without.Message);
        Assert.Equal("r-1", without.RequestId);
        Assert.Equal("Bad query", noErrors.Message);
    }

    [Fact]
    public void Each_provider_declares_its_documented_facts()
    {
        // New instances, not ProviderRegistry's: the registry makes its own once per process.
        var providers = new IJobProvider[] { new ConvertlyProvider(), new IttybitProvider(), new KreaProvider(), new PyannoteAIProvider(), new UnstructuredProvider() };
        var facts = providers.ToDictionary(provider => provider.Info.Name, provider => provider.Info);

        // In name order, as ProviderRegistry lists them.
        Assert.Equal(new[] { "Convertly", "Ittybit", "Krea", "PyannoteAI", "Unstructured" }, facts.Keys);
        Assert.Equal(facts.Keys, ProviderRegistry.Names);
        Assert.Equal(
            new[] { "CONVERTLY_BASE_URL", "ITTYBIT_BASE_URL", "KREA_BASE_URL", "PYANNOTEAI_BASE_URL", "UNSTRUCTURED_API_URL" },
            facts.Values.Select(info => info.BaseUriVariable));
        Assert.Equal(new int?[] { 100, 100, 1000, 100, null }, facts.Values.Select(info => info.MaxPageSize));
        Assert.Equal(new[] { true, true, true, true, false }, facts.Values.Select(info => info.NewestFirst));
        Assert.Equal(new[] { "video", "audio", "image", "animation", "adaptive_video" }, facts["Ittybit"].KnownKinds!);
        Assert.Equal(TimeSpan.FromSeconds(10), facts["Krea"].RateLimitBackoff);
        Assert.Null(facts["Ittybit"].RateLimitBackoff);
    }
}
