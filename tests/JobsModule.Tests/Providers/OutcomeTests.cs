using System.Text.Json;

namespace JobsModule.Tests;

/// <summary>
/// Each provider's outcome table, as about_JobsModule_Providers gives it: every documented status, and the
/// fields that decide Partial, through the adapter's own reader; detail answers read as defensively as list items.
/// </summary>
public class OutcomeTests
{
    [Theory]
    [InlineData("pending", JobOutcome.Unfinished)]
    [InlineData("created", JobOutcome.Unfinished)]
    [InlineData("running", JobOutcome.Unfinished)]
    [InlineData("succeeded", JobOutcome.Complete)]
    [InlineData("failed", JobOutcome.Failed)]
    [InlineData("canceled", JobOutcome.Canceled)]
    [InlineData("archived", JobOutcome.Unverified)]
    public void PyannoteAI_list_items(string raw, JobOutcome expected)
    {
        var job = new PyannoteAIProvider().ReadJob(TestListing.Parse(Bodies.PyannoteJob("j", raw)));

        Assert.Equal(expected, job.Outcome);
        Assert.Null(job.FailedItems);
    }

    [Fact]
    public void PyannoteAI_output_error_is_the_failed_item_named_by_the_job()
    {
        var job = new PyannoteAIProvider().ReadJob(TestListing.Parse(
            """{"jobId":"p1","status":"failed","createdAt":"2026-01-01T00:00:00Z","output":{"diarization":[],"error":"Audio is empty\nno speech"}}"""));

        Assert.Equal(JobOutcome.Failed, job.Outcome);
        Assert.Equal("Audio is empty\nno speech", job.Error);
        var item = Assert.Single(job.FailedItems!);
        Assert.Equal("p1", item.Name);
        Assert.Equal("Audio is empty\nno speech", item.Error);
        Assert.Equal(1, item.Count);
    }

    [Fact]
    public void PyannoteAI_a_warning_alone_leaves_a_succeeded_job_Complete()
    {
        var job = (PyannoteAIJob)new PyannoteAIProvider().ReadJob(TestListing.Parse(
            """{"jobId":"p1","status":"succeeded","createdAt":"2026-01-01T00:00:00Z","output":{"diarization":[],"warning":"short audio"}}"""));

        Assert.Equal(JobOutcome.Complete, job.Outcome);
        Assert.Equal("short audio", job.Warning);
        Assert.Null(job.FailedItems);
    }

    [Fact]
    public void PyannoteAI_an_error_that_is_no_text_loses_that_value_only()
    {
        var job = new PyannoteAIProvider().ReadJob(TestListing.Parse(
            """{"jobId":"p1","status":"failed","createdAt":"2026-01-01T00:00:00Z","output":{"error":{"code":7}}}"""));

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(JobOutcome.Failed, job.Outcome);
        Assert.Null(job.Error);
        Assert.Null(job.FailedItems);
    }

    [Theory]
    [InlineData("waiting", JobStatus.Queued, JobOutcome.Unfinished)]
    [InlineData("validating", JobStatus.Queued, JobOutcome.Unfinished)]
    [InlineData("queued", JobStatus.Queued, JobOutcome.Unfinished)]
    [InlineData("processing", JobStatus.Running, JobOutcome.Unfinished)]
    [InlineData("finishing", JobStatus.Running, JobOutcome.Unfinished)]
    [InlineData("succeeded", JobStatus.Succeeded, JobOutcome.Complete)]
    [InlineData("failed", JobStatus.Failed, JobOutcome.Failed)]
    [InlineData("cancelled", JobStatus.Canceled, JobOutcome.Canceled)]
    [InlineData("paused", JobStatus.Unknown, JobOutcome.Unverified)]
    public void Ittybit_list_items(string raw, JobStatus status, JobOutcome expected)
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse(Bodies.IttybitJob("j", raw)));

        Assert.Equal(status, job.Status);
        Assert.Equal(expected, job.Outcome);
    }

    [Fact]
    public void Ittybit_a_cancelled_job_whose_sibling_task_failed_Failed_with_that_task()
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse(
            """
            {"id":"job_1","object":"job","kind":"video","status":"cancelled","created_at":1711900000000,"tasks":[
              {"id":"task_a","kind":"video","status":"succeeded","progress":100,"error":null},
              {"id":"task_b","kind":"thumbnails","status":"failed","progress":40,"error":"Source \"clip\" unreadable"},
              {"id":"task_c","kind":"subtitles","status":"cancelled","progress":0,"error":{"message":"cancelled with its job"}},
              "not a task"]}
            """));

        Assert.Equal(JobStatus.Canceled, job.Status);
        Assert.Equal(JobOutcome.Failed, job.Outcome);
        var item = Assert.Single(job.FailedItems!);
        Assert.Equal("thumbnails task_b", item.Name);
        Assert.Equal("Source \"clip\" unreadable", item.Error);
    }

    [Fact]
    public void Ittybit_a_cancelled_job_without_a_failed_task_stays_Canceled()
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse(
            """{"id":"job_1","object":"job","kind":"video","status":"cancelled","created_at":1711900000000,"tasks":[{"id":"t1","kind":"video","status":"cancelled","progress":0}]}"""));

        Assert.Equal(JobOutcome.Canceled, job.Outcome);
        Assert.Null(job.FailedItems);
    }

    [Fact]
    public void Ittybit_a_failed_task_error_object_gives_its_message()
    {
        var job = new IttybitProvider().ReadJob(TestListing.Parse(
            """{"id":"job_1","object":"job","kind":"video","status":"failed","created_at":1711900000000,"tasks":[{"id":"t1","kind":"video","status":"failed","error":{"code":"E1","message":"codec"}}]}"""));

        Assert.Equal(JobOutcome.Failed, job.Outcome);
        Assert.Equal("codec", Assert.Single(job.FailedItems!).Error);
    }

    [Theory]
    [InlineData("pending", "0", "0", "3", JobOutcome.Unfinished)]
    [InlineData("processing", "1", "1", "3", JobOutcome.Unfinished)]
    [InlineData("completed", "3", "0", "3", JobOutcome.Complete)]
    [InlineData("completed", "2", "1", "3", JobOutcome.Partial)]
    [InlineData("completed", "0", "3", "3", JobOutcome.Failed)]
    [InlineData("completed", "3", "null", "3", JobOutcome.Unverified)]
    [InlineData("completed", "3", "\"none\"", "3", JobOutcome.Unverified)]
    [InlineData("failed", "1", "2", "3", JobOutcome.Failed)]
    [InlineData("cancelled", "0", "0", "3", JobOutcome.Unverified)]
    public void Convertly_list_items(string raw, string completedFiles, string failedFiles, string totalFiles, JobOutcome expected)
    {
        var job = new ConvertlyProvider().ReadJob(TestListing.Parse(
            $$"""{"id":"c1","job_type":"convert","status":"{{raw}}","created_at":"2026-01-01T00:00:00Z","total_files":{{totalFiles}},"completed_files":{{completedFiles}},"failed_files":{{failedFiles}}}"""));

        Assert.Equal(expected, job.Outcome);
    }

    [Fact]
    public void Convertly_failed_files_are_one_unnamed_item_with_their_count()
    {
        var job = new ConvertlyProvider().ReadJob(TestListing.Parse(
            """{"id":"c1","job_type":"convert","status":"completed","created_at":"2026-01-01T00:00:00Z","total_files":5,"completed_files":3,"failed_files":2}"""));

        var item = Assert.Single(job.FailedItems!);
        Assert.Null(item.Name);
        Assert.Equal(2, item.Count);
        Assert.Equal(2, job.FailedItems!.Total);
        Assert.Equal("2 x (unnamed)", item.ToString());
    }

    [Theory]
    [InlineData("SCHEDULED", JobOutcome.Unfinished)]
    [InlineData("IN_PROGRESS", JobOutcome.Unfinished)]
    [InlineData("COMPLETED", JobOutcome.Unverified)]
    [InlineData("FAILED", JobOutcome.Failed)]
    [InlineData("STOPPED", JobOutcome.Canceled)]
    [InlineData("PAUSED", JobOutcome.Unverified)]
    public void Unstructured_list_items(string raw, JobOutcome expected)
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse(Bodies.UnstructuredJob("u", raw)));

        Assert.Equal(expected, job.Outcome);
    }

    [Fact]
    public void Unstructured_template_jobs_keep_their_kind()
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse(Bodies.UnstructuredJob("u", "COMPLETED", jobType: "template")));

        Assert.Equal("template", job.Kind);
    }

    [Theory]
    [InlineData("COMPLETED", "SUCCESS", JobOutcome.Complete)]
    [InlineData("COMPLETED", "COMPLETED_WITH_ERRORS", JobOutcome.Partial)]
    [InlineData("COMPLETED", "FAILED", JobOutcome.Failed)]
    [InlineData("COMPLETED", "STOPPED", JobOutcome.Canceled)]
    [InlineData("COMPLETED", "IN_PROGRESS", JobOutcome.Unverified)]
    [InlineData("COMPLETED", "SCHEDULED", JobOutcome.Unverified)]
    [InlineData("COMPLETED", "PAUSED", JobOutcome.Unverified)]
    [InlineData("FAILED", "FAILED", JobOutcome.Failed)]
    [InlineData("FAILED", "SUCCESS", JobOutcome.Failed)]
    public void Unstructured_details_decide_a_completed_job(string listed, string processing, JobOutcome expected)
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse(Bodies.UnstructuredJob("u", listed)));

        UnstructuredProvider.ApplyDetails(job, TestListing.Parse(
            $$"""{"id":"u","processing_status":"{{processing}}","node_stats":[],"message":null}"""));

        Assert.Equal(expected, job.Outcome);
    }

    [Fact]
    public void Unstructured_details_give_the_message_and_each_node_failures_until_the_files_name_them()
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse(Bodies.UnstructuredJob("u", "COMPLETED")));

        UnstructuredProvider.ApplyDetails(job, TestListing.Parse(
            """
            {"id":"u","processing_status":"COMPLETED_WITH_ERRORS","message":"2 of 4 files failed","node_stats":[
              {"node_name":"partition","node_type":"partition","ready":0,"in_progress":0,"success":2,"failure":2},
              {"node_name":"destination","node_type":"destination","ready":0,"in_progress":0,"success":2,"failure":0}]}
            """));

        Assert.Equal(JobOutcome.Partial, job.Outcome);
        Assert.Equal("2 of 4 files failed", job.Error);
        var node = Assert.Single(job.FailedItems!);
        Assert.Equal("partition", node.Name);
        Assert.Equal(2, node.Count);

        UnstructuredProvider.ApplyFailedFiles(job, TestListing.Parse(
            """{"failed_files":[{"document":"Rechnung März.pdf","error":"PDF is encrypted, \"password required\""},{"document":"b.pdf","error":"OCR failed\nimage too small"},42]}"""));

        Assert.Equal(new[] { "Rechnung März.pdf", "b.pdf" }, job.FailedItems!.Select(item => item.Name));
        Assert.Equal(new[] { "PDF is encrypted, \"password required\"", "OCR failed\nimage too small" }, job.FailedItems!.Select(item => item.Error));
        Assert.Equal(JobOutcome.Partial, job.Outcome);
    }

    [Fact]
    public void Unstructured_details_with_unreadable_values_lose_those_values_only()
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse(Bodies.UnstructuredJob("u", "COMPLETED")));

        UnstructuredProvider.ApplyDetails(job, TestListing.Parse(
            """{"id":"u","processing_status":7,"node_stats":"none","message":"finished"}"""));

        Assert.Equal(JobOutcome.Unverified, job.Outcome);
        Assert.Equal("finished", job.Error);
        Assert.Null(job.FailedItems);
        Assert.Equal(new[] { "details.node_stats" }, job.UnreadableFields!.Keys);
    }

    [Fact]
    public void Unstructured_a_details_answer_that_is_no_object_is_refused()
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse(Bodies.UnstructuredJob("u", "COMPLETED")));

        Assert.ThrowsAny<Exception>(() => UnstructuredProvider.ApplyDetails(job, TestListing.Parse("[1,2]")));
        Assert.Equal(JobOutcome.Unverified, job.Outcome);
    }

    [Theory]
    [InlineData("backlogged", JobOutcome.Unfinished)]
    [InlineData("queued", JobOutcome.Unfinished)]
    [InlineData("scheduled", JobOutcome.Unfinished)]
    [InlineData("processing", JobOutcome.Unfinished)]
    [InlineData("sampling", JobOutcome.Unfinished)]
    [InlineData("intermediate-complete", JobOutcome.Unfinished)]
    [InlineData("completed", JobOutcome.Complete)]
    [InlineData("failed", JobOutcome.Failed)]
    [InlineData("cancelled", JobOutcome.Canceled)]
    [InlineData("moderated", JobOutcome.Unverified)]
    public void Krea_list_items(string raw, JobOutcome expected)
    {
        var job = new KreaProvider().ReadJob(TestListing.Parse(Bodies.KreaJob("k", raw)));

        Assert.Equal(expected, job.Outcome);
        Assert.Null(job.FailedItems);
    }

    [Fact]
    public void A_job_its_provider_deleted_on_a_stop_is_Canceled()
    {
        var job = new KreaProvider().ReadJob(TestListing.Parse(Bodies.KreaJob("k", "processing")));

        Assert.Equal(JobOutcome.Canceled, job.AsCanceled().Outcome);
    }

    [Fact]
    public void Failed_items_write_compact_json_for_csv_cells()
    {
        var job = new PyannoteAIProvider().ReadJob(TestListing.Parse(
            """{"jobId":"p1","status":"failed","createdAt":"2026-01-01T00:00:00Z","output":{"error":"bad \"media\""}}"""));

        using var parsed = JsonDocument.Parse(job.FailedItems!.ToString());
        var first = parsed.RootElement[0];
        Assert.Equal("p1", first.GetProperty("Name").GetString());
        Assert.Equal("bad \"media\"", first.GetProperty("Error").GetString());
        Assert.Equal(1, first.GetProperty("Count").GetInt32());
    }
}
