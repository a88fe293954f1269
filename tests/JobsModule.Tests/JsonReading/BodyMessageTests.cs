using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// A body that cannot be read is described in the module's words: its content type and where it went
/// wrong, never the JSON reader's exception text; and a duration below zero is no duration.
/// </summary>
public class BodyMessageTests
{
    private const string Html = "<!DOCTYPE html><html><body>Maintenance</body></html>";

    [Fact]
    public void An_HTML_list_page_says_so_in_plain_words()
    {
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Text(Html, "text/html")));

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(
            "Krea sent a response to GET https://api.krea.ai/jobs?limit=1000 that could not be read (HTTP 200, content type text/html): the body is not valid JSON (it is not JSON from its first byte on).",
            error.Message);
        AssertNoReaderWords(error.Message);
    }

    [Fact]
    public async Task An_HTML_single_job_says_so_in_plain_words()
    {
        var lister = new JobLister(new HttpClient(new StubHandler(Respond.Text(Html, "text/html"))));

        var error = await Assert.ThrowsAsync<ProviderRequestException>(() => lister.GetJobAsync(TestListing.Endpoint(new KreaProvider()), "k1", TestListing.Fast.Call(new CallLog(), default)));

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.EndsWith("(HTTP 200, content type text/html): the body is not valid JSON (it is not JSON from its first byte on).", error.Message, StringComparison.Ordinal);
        AssertNoReaderWords(error.Message);
    }

    [Fact]
    public void Where_a_page_stops_being_JSON_is_said_by_line_and_byte_and_the_jobs_before_are_kept()
    {
        // The second item's "completed" is cut to "compl" by a line break, which no JSON string may hold: byte 30 of line 3.
        var body = "{\"items\":[\n" + KreaJob("a") + ",\n{\"job_id\":\"b\",\"status\":\"compl\n}]}";
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json(body)));

        Assert.Equal(new[] { "a" }, run.Ids);
        var error = run.Failure();
        Assert.EndsWith("the body is not valid JSON (it goes wrong at byte 30 of line 3).", error.Message, StringComparison.Ordinal);
        AssertNoReaderWords(error.Message);
    }

    [Theory]
    [InlineData("{\"job_id\":\"k1\",\"status\":\"completed\"} more", "the body is not valid JSON (it goes wrong at byte 38 of line 1)")]
    [InlineData("{\"job_id\":\"k1\",\n\"status\":tru}", "the body is not valid JSON (it goes wrong at byte 13 of line 2)")]
    [InlineData("", "the body is not valid JSON (the body is empty)")]
    [InlineData("[1,2]", "the JSON is not the documented shape (expected a job to be a JSON object but found an array)")]
    public async Task A_single_job_that_is_not_JSON_says_where_in_plain_words(string body, string says)
    {
        var lister = new JobLister(new HttpClient(new StubHandler(Respond.Json(body))));

        var error = await Assert.ThrowsAsync<ProviderRequestException>(() => lister.GetJobAsync(TestListing.Endpoint(new KreaProvider()), "k1", TestListing.Fast.Call(new CallLog(), default)));

        Assert.EndsWith("(HTTP 200, content type application/json): " + says + ".", error.Message, StringComparison.Ordinal);
        AssertNoReaderWords(error.Message);
    }

    [Fact]
    public void An_item_whose_text_cannot_be_decoded_is_reported_in_the_modules_words()
    {
        // Bytes that are no UTF-8 inside the id: the item is left out, its neighbours are listed.
        var before = System.Text.Encoding.UTF8.GetBytes("{\"items\":[" + KreaJob("a") + ",{\"job_id\":\"");
        var after = System.Text.Encoding.UTF8.GetBytes("\",\"status\":\"completed\"}," + KreaJob("c") + "],\"next_cursor\":null}");
        var body = before.Concat(new byte[] { 0xC3, 0x28 }).Concat(after).ToArray();
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var run = TestListing.Run(new KreaProvider(), new StubHandler(response)).Succeeded();

        Assert.Equal(new[] { "a", "c" }, run.Ids);
        var error = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Error);
        Assert.Contains("item 2 of page 1: a value in it cannot be read as the provider documents it", error.Text, StringComparison.Ordinal);
        AssertNoReaderWords(error.Text);
    }

    [Theory]
    [InlineData("PT-5S")]
    [InlineData("-PT5S")]
    [InlineData("-P1D")]
    public void A_negative_runtime_is_unreadable_with_its_warning(string runtime)
    {
        var job = UnstructuredJob("u1").TrimEnd('}') + ",\"runtime\":\"" + runtime + "\"}";
        var run = TestListing.Run(new UnstructuredProvider(), new StubHandler(Respond.Json(UnstructuredPageOf(job, UnstructuredJob("u2"))))).Succeeded();

        var read = Assert.IsType<UnstructuredJob>(run.Jobs[0]);
        Assert.Null(read.Duration);
        Assert.Null(read.Runtime);
        Assert.Equal(runtime, read.UnreadableFields!["runtime"]);
        var warning = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Warning);
        Assert.Contains("'runtime'", warning.Text, StringComparison.Ordinal);
        Assert.Contains(runtime, warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_runtime_is_a_duration()
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse("""{"id":"u","status":"COMPLETED","runtime":"PT0S"}"""));

        Assert.Equal(TimeSpan.Zero, job.Duration);
        Assert.Null(job.UnreadableFields);
    }

    [Fact]
    public void A_job_completed_before_it_was_created_has_no_duration()
    {
        var job = new KreaProvider().ReadJob(TestListing.Parse("""{"job_id":"k","status":"completed","created_at":"2026-01-01T00:10:00Z","completed_at":"2026-01-01T00:00:00Z"}"""));

        Assert.Null(job.Duration);
        Assert.NotNull(job.CompletedAt);
    }

    [Fact]
    public void A_job_finished_before_it_started_has_no_duration_even_though_it_was_created_before()
    {
        // Started 10:00:30, finished 10:00:10, created 10:00:00: the start is what counts, and it is after the end.
        var job = new IttybitProvider().ReadJob(TestListing.Parse("""{"id":"i","status":"succeeded","created_at":1767261600000,"started_at":1767261630000,"finished_at":1767261610000}"""));

        Assert.Null(job.Duration);
        Assert.Null(job.DurationSeconds);
    }

    private static void AssertNoReaderWords(string text)
    {
        Assert.DoesNotContain("LineNumber", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", text, StringComparison.Ordinal);
        Assert.DoesNotContain("is an invalid", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("transcode", text, StringComparison.Ordinal);
    }
}
