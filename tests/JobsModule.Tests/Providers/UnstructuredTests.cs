using static JobsModule.Tests.Support.PageUrls;

namespace JobsModule.Tests;

/// <summary>Unstructured's jobs as the module reads them: every documented field, every status, its list URLs.</summary>
public class UnstructuredTests
{
    private readonly UnstructuredProvider _provider = new();

    [Fact]
    public void Maps_the_documented_example()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {
              "id": "b2c3d4e5-6f7a-8b9c-0d1e-2f3a4b5c6d7e",
              "workflow_id": "f0a1b2c3-4d5e-6f7a-8b9c-0d1e2f3a4b5c",
              "workflow_name": "My ETL Workflow",
              "status": "COMPLETED",
              "created_at": "2026-01-01T00:00:00Z",
              "runtime": "PT2M30S",
              "input_file_ids": null,
              "output_node_files": [
                {
                  "node_id": "n1a2b3c4-5d6e-7f8a-9b0c-1d2e3f4a5b6c",
                  "file_id": "output-001.json",
                  "node_type": "destination",
                  "node_subtype": "s3"
                }
              ],
              "job_type": "ephemeral"
            }
            """));

        Assert.IsType<UnstructuredJob>(job);
        Assert.Equal("Unstructured", job.Provider);
        Assert.Equal("b2c3d4e5-6f7a-8b9c-0d1e-2f3a4b5c6d7e", job.Id);
        Assert.Equal("f0a1b2c3-4d5e-6f7a-8b9c-0d1e2f3a4b5c", job.WorkflowId);
        Assert.Equal("My ETL Workflow", job.WorkflowName);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("COMPLETED", job.ProviderStatus);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new TimeSpan(0, 2, 30), job.Duration);
        Assert.Equal(new TimeSpan(0, 2, 30), job.Runtime);
        Assert.Null(job.InputFileIds);
        var node = Assert.IsType<JobDataObject>(Assert.Single(job.OutputNodeFiles!));
        Assert.Equal("n1a2b3c4-5d6e-7f8a-9b0c-1d2e3f4a5b6c", node["node_id"]);
        Assert.Equal("output-001.json", node["file_id"]);
        Assert.Equal("destination", node["node_type"]);
        Assert.Equal("s3", node["node_subtype"]);
        Assert.Equal("ephemeral", job.Kind);
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Input_file_ids_become_a_list()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"IN_PROGRESS","input_file_ids":["f-1","f-2"],"runtime":"PT1H0.25S"}"""));

        Assert.Equal(new object?[] { "f-1", "f-2" }, job.InputFileIds!);
        Assert.Equal("""["f-1","f-2"]""", job.InputFileIds!.ToString());
        Assert.Equal(TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(250), job.Duration);
        Assert.Equal(JobStatus.Running, job.Status);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"\"")]
    [InlineData("\"two minutes\"")]
    public void A_missing_or_unreadable_runtime_is_null(string runtime)
    {
        var job = _provider.ReadJob(TestListing.Parse($$"""{"id":"j","status":"FAILED","runtime":{{runtime}}}"""));

        Assert.Null(job.Duration);
        Assert.Null(job.Runtime);
        Assert.Equal(JobStatus.Failed, job.Status);
    }

    [Fact]
    public void Keeps_undocumented_fields_in_ExtraFields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"SCHEDULED","workflow_id":"wf","schedule":{"cron":"0 * * * *"}}"""));

        var schedule = Assert.IsType<JobDataObject>(Assert.Single(job.ExtraFields).Value);
        Assert.Equal("0 * * * *", schedule["cron"]);
        Assert.Equal("wf", job.WorkflowId);
        Assert.Null(job.WorkflowName);
    }

    [Theory]
    [InlineData("SCHEDULED", JobStatus.Queued)]
    [InlineData("IN_PROGRESS", JobStatus.Running)]
    [InlineData("COMPLETED", JobStatus.Succeeded)]
    [InlineData("FAILED", JobStatus.Failed)]
    [InlineData("STOPPED", JobStatus.Canceled)]
    [InlineData("PAUSED", JobStatus.Unknown)]
    public void Statuses(string raw, JobStatus expected)
    {
        var job = new UnstructuredProvider().ReadJob(TestListing.Parse(Bodies.UnstructuredJob("j", raw)));

        Assert.Equal(expected, job.Status);
        Assert.Equal(raw, job.ProviderStatus);
    }

    [Fact]
    public void Has_no_paging_parameters()
    {
        var provider = new UnstructuredProvider();

        Assert.Equal("https://platform.unstructuredapp.io/api/v1/jobs/", Url(provider, new ServerQuery(), 0));
        Assert.Equal(
            "https://platform.unstructuredapp.io/api/v1/jobs/?workflow_id=wf-1&status=IN_PROGRESS",
            Url(provider, new ServerQuery { WorkflowId = "wf-1", Status = "IN_PROGRESS" }, 0));
    }

    [Theory]
    [InlineData("https://platform.unstructuredapp.io", "https://platform.unstructuredapp.io/api/v1/jobs/")]
    [InlineData("https://platform.unstructuredapp.io/", "https://platform.unstructuredapp.io/api/v1/jobs/")]
    [InlineData("https://platform.unstructuredapp.io/api/v1", "https://platform.unstructuredapp.io/api/v1/jobs/")]
    [InlineData("https://platform.unstructuredapp.io/api/v1/", "https://platform.unstructuredapp.io/api/v1/jobs/")]
    [InlineData("https://platform.unstructuredapp.io/API/V1", "https://platform.unstructuredapp.io/API/V1/jobs/")]
    [InlineData("https://acme.unstructuredapp.io/gw/api/v1", "https://acme.unstructuredapp.io/gw/api/v1/jobs/")]
    [InlineData("https://gw.example.com/unstructured", "https://gw.example.com/unstructured/api/v1/jobs/")]
    [InlineData("http://localhost:8080", "http://localhost:8080/api/v1/jobs/")]
    public void Never_doubles_api_v1(string baseUri, string expected)
    {
        Assert.Equal(expected, Url(new UnstructuredProvider(), new ServerQuery(), 0, baseUri: baseUri));
    }

    [Fact]
    public void Escapes_query_values()
    {
        var uri = new UnstructuredProvider().PageUri(new Uri("https://platform.unstructuredapp.io/api/v1"), new ServerQuery { WorkflowId = Tricky }, 0, null);

        Assert.Equal($"https://platform.unstructuredapp.io/api/v1/jobs/?workflow_id={TrickyEscaped}", uri.AbsoluteUri);
        Assert.Equal(Tricky, Assert.Single(TestListing.QueryOf(uri)).Value);
    }
}
