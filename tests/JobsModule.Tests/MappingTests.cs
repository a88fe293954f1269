using JobsModule.Providers;
using JobsModule.Tests.Support;

namespace JobsModule.Tests;

public class PyannoteAIMappingTests
{
    private readonly PyannoteAIProvider _provider = new();

    [Fact]
    public void Maps_every_documented_field()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"id":"job-1","status":"succeeded","createdAt":"2026-02-03T04:05:06.789Z","updatedAt":"2026-02-03T04:06:00Z"}
            """));

        Assert.Equal("PyannoteAI", job.Provider);
        Assert.Equal("job-1", job.Id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("succeeded", job.ProviderStatus);
        Assert.Equal(new DateTime(2026, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(TimeSpan.Zero, job.CreatedAt!.Value.Offset);
        Assert.Equal(new DateTime(2026, 2, 3, 4, 6, 0, DateTimeKind.Utc), job.UpdatedAt);
        Assert.Null(job.Kind);
        Assert.Empty(job.ExtraFields);
        Assert.Equal("PyannoteAI/job-1", job.ToString());
    }

    [Fact]
    public void Keeps_undocumented_fields_in_ExtraFields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"id":"job-1","status":"running","createdAt":"2026-02-03T04:05:06Z","model":"precision-2","confidence":0.5,"tags":["a","b"]}
            """));

        Assert.Equal(3, job.ExtraFields.Count);
        Assert.Equal("precision-2", job.ExtraFields["model"]);
        Assert.Equal(0.5, job.ExtraFields["confidence"]);
        Assert.Equal(new object?[] { "a", "b" }, Assert.IsType<JobDataList>(job.ExtraFields["tags"]));
        Assert.False(job.ExtraFields.ContainsKey("createdAt"));
    }

    [Fact]
    public void Tolerates_nulls_and_missing_fields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"job-1","status":null,"createdAt":null}"""));

        Assert.Equal(JobStatus.Unknown, job.Status);
        Assert.Null(job.ProviderStatus);
        Assert.Null(job.CreatedAt);
        Assert.Null(job.UpdatedAt);
        Assert.Null(job.Duration);
    }

    [Fact]
    public void A_timestamp_with_an_offset_becomes_UTC()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"running","createdAt":"2026-02-03T04:05:06+02:00"}"""));

        Assert.Equal(new DateTime(2026, 2, 3, 2, 5, 6, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(TimeSpan.Zero, job.CreatedAt!.Value.Offset);
    }

    [Theory]
    [InlineData("""{"status":"running"}""")]
    [InlineData("""{"id":"","status":"running"}""")]
    [InlineData("""{"id":null,"status":"running"}""")]
    [InlineData("""["not","an","object"]""")]
    public void A_job_without_an_id_is_a_shape_error(string json)
    {
        Assert.Throws<ProviderResponseShapeException>(() => _provider.ReadJob(TestListing.Parse(json)));
    }

    [Fact]
    public void ReadPage_requires_items()
    {
        var error = Assert.Throws<ProviderResponseShapeException>(() =>
            TestListing.ReadPage(_provider, """{"total":3}""", TestListing.Context(new Uri("https://api.pyannote.ai/v1/jobs"), 10)));
        Assert.Contains("items", error.Message, StringComparison.Ordinal);
    }
}

public class IttybitMappingTests
{
    private readonly IttybitProvider _provider = new();

    private const string DocumentedExample = """
        {
          "id": "job_abc123",
          "object": "job",
          "kind": "video",
          "input": "https://example.com/video.mp4",
          "output": "https://store.ittybit.net/org_123/video.mp4",
          "options": { "format": "mp4", "quality": "high", "width": 1280 },
          "metadata": {},
          "status": "succeeded",
          "error": null,
          "created_at": 1711900000000,
          "started_at": 1711900001000,
          "finished_at": 1711900045000,
          "updated_at": 1711900045000
        }
        """;

    [Fact]
    public void Maps_every_documented_field()
    {
        var job = _provider.ReadJob(TestListing.Parse(DocumentedExample));

        Assert.IsType<IttybitJob>(job);
        Assert.Equal("Ittybit", job.Provider);
        Assert.Equal("job_abc123", job.Id);
        Assert.Equal("video", job.Kind);
        Assert.Equal("https://example.com/video.mp4", job.Input);
        Assert.Equal("https://store.ittybit.net/org_123/video.mp4", job.Output);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("succeeded", job.ProviderStatus);
        Assert.Null(job.Error);

        Assert.NotNull(job.Options);
        Assert.Equal("mp4", job.Options!["format"]);
        Assert.Equal("high", job.Options["QUALITY"]);
        Assert.Equal(1280L, job.Options["width"]);
        Assert.NotNull(job.Metadata);
        Assert.Empty(job.Metadata!);

        // "object" is documented: it is not an extra field.
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Epoch_milliseconds_become_UTC_times_and_a_duration()
    {
        var job = _provider.ReadJob(TestListing.Parse(DocumentedExample));

        Assert.Equal(new DateTime(2024, 3, 31, 15, 46, 40, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new DateTime(2024, 3, 31, 15, 46, 41, DateTimeKind.Utc), job.StartedAt);
        Assert.Equal(new DateTime(2024, 3, 31, 15, 47, 25, DateTimeKind.Utc), job.CompletedAt);
        Assert.Equal(new DateTime(2024, 3, 31, 15, 47, 25, DateTimeKind.Utc), job.UpdatedAt);
        Assert.Equal(TimeSpan.Zero, job.CreatedAt!.Value.Offset);
        Assert.Equal(TimeSpan.Zero, job.CompletedAt!.Value.Offset);

        // From started_at, not created_at.
        Assert.Equal(TimeSpan.FromSeconds(44), job.Duration);
    }

    [Fact]
    public void Epoch_milliseconds_keep_their_milliseconds_and_accept_numeric_strings()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"queued","created_at":1711900000123,"updated_at":"1711900000456"}"""));

        Assert.Equal(new DateTime(2024, 3, 31, 15, 46, 40, 123, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new DateTime(2024, 3, 31, 15, 46, 40, 456, DateTimeKind.Utc), job.UpdatedAt);
    }

    [Fact]
    public void Error_as_an_object_or_a_string()
    {
        var fromObject = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"failed","error":{"code":"decode","message":"Could not decode input"}}"""));
        var fromString = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"failed","error":"Input not found"}"""));

        Assert.Equal("Could not decode input", fromObject.Error);
        Assert.Equal("Input not found", fromString.Error);
        Assert.Equal(JobStatus.Failed, fromString.Status);
    }

    [Fact]
    public void Tolerates_nulls_and_missing_fields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"id":"j","kind":null,"input":null,"output":null,"options":null,"metadata":null,"status":"processing","error":null,
             "created_at":null,"started_at":null,"finished_at":null,"updated_at":null}
            """));

        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Null(job.Kind);
        Assert.Null(job.Input);
        Assert.Null(job.Output);
        Assert.Null(job.Options);
        Assert.Null(job.Metadata);
        Assert.Null(job.Error);
        Assert.Null(job.CreatedAt);
        Assert.Null(job.CompletedAt);
        Assert.Null(job.Duration);
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Keeps_undocumented_fields_in_ExtraFields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"queued","tasks":[{"id":"t1"}],"priority":5}"""));

        // tasks[] is documented for the single-job endpoint, so it is a typed property, not an extra.
        Assert.Equal(5L, Assert.Single(job.ExtraFields).Value);
        Assert.Equal("priority", Assert.Single(job.ExtraFields).Key);
        Assert.Equal("t1", Assert.IsType<JobDataObject>(Assert.Single(job.Tasks!))["id"]);
    }

    [Fact]
    public void ReadPage_requires_a_bare_array()
    {
        Assert.Throws<ProviderResponseShapeException>(() =>
            TestListing.ReadPage(_provider, """{"data":[]}""", TestListing.Context(new Uri("https://api.ittybit.com/jobs?limit=10"), 10)));
    }
}

public class ConvertlyMappingTests
{
    private readonly ConvertlyProvider _provider = new();

    [Fact]
    public void Maps_every_documented_field()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"id":"8c0f5a52-6d4e-4a8e-9b8f-0e8a8f2f6f11","job_type":"compress","status":"failed","total_files":10,"completed_files":7,
             "failed_files":3,"progress":100,"error_message":"3 files could not be read","results":{"archive":"https://cdn.example/x.zip"},
             "created_at":"2026-03-01T10:00:00Z","completed_at":"2026-03-01T10:01:30.500Z"}
            """));

        Assert.IsType<ConvertlyJob>(job);
        Assert.Equal("Convertly", job.Provider);
        Assert.Equal("8c0f5a52-6d4e-4a8e-9b8f-0e8a8f2f6f11", job.Id);
        Assert.Equal("compress", job.Kind);
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(10, job.TotalFiles);
        Assert.Equal(7, job.CompletedFiles);
        Assert.Equal(3, job.FailedFiles);
        Assert.Equal(100, job.Progress);
        Assert.Equal("3 files could not be read", job.Error);
        Assert.Equal(new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new DateTime(2026, 3, 1, 10, 1, 30, 500, DateTimeKind.Utc), job.CompletedAt);
        Assert.Equal(TimeSpan.FromSeconds(90.5), job.Duration);
        var results = Assert.IsType<JobDataObject>(job.Results);
        Assert.Equal("https://cdn.example/x.zip", results["archive"]);
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Results_can_be_an_array()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"completed","results":[{"url":"a"},{"url":"b"}]}"""));

        var results = Assert.IsType<JobDataList>(job.Results);
        Assert.Equal(2, results.Count);
        Assert.Equal("b", Assert.IsType<JobDataObject>(results[1])["url"]);
        Assert.Equal("""[{"url":"a"},{"url":"b"}]""", results.ToString());
    }

    [Fact]
    public void Results_can_be_null_and_other_fields_missing()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"pending","results":null,"error_message":null,"completed_at":null}"""));

        Assert.Null(job.Results);
        Assert.Null(job.Error);
        Assert.Null(job.CompletedAt);
        Assert.Null(job.TotalFiles);
        Assert.Null(job.Progress);
        Assert.Null(job.Duration);
        Assert.Equal(JobStatus.Queued, job.Status);
    }

    [Fact]
    public void Keeps_undocumented_fields_in_ExtraFields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"completed","upgradeUrl":"https://convertly.sh/pricing","webhook":null}"""));

        Assert.Equal("https://convertly.sh/pricing", job.ExtraFields["upgradeUrl"]);
        Assert.True(job.ExtraFields.ContainsKey("webhook"));
        Assert.Null(job.ExtraFields["webhook"]);
    }

    [Fact]
    public void ReadPage_requires_jobs_and_pagination()
    {
        var uri = new Uri("https://convertly.sh/api/jobs?limit=10&offset=0");
        Assert.Throws<ProviderResponseShapeException>(() => TestListing.ReadPage(_provider, """{"jobs":[]}""", TestListing.Context(uri, 10)));
        Assert.Throws<ProviderResponseShapeException>(() => TestListing.ReadPage(_provider, """{"pagination":{"hasMore":false}}""", TestListing.Context(uri, 10)));
    }
}

public class UnstructuredMappingTests
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
}

public class KreaMappingTests
{
    private readonly KreaProvider _provider = new();

    [Fact]
    public void Maps_every_documented_field()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"job_id":"5f0e9d0a-1111-2222-3333-444455556666","status":"completed","created_at":"2026-04-01T12:00:00.000Z",
             "completed_at":"2026-04-01T12:00:07.250Z","type":"flux",
             "result":{"urls":["https://gen.krea.ai/a.png","https://gen.krea.ai/b.png"],"style_id":"style-42"}}
            """));

        Assert.IsType<KreaJob>(job);
        Assert.Equal("Krea", job.Provider);
        Assert.Equal("5f0e9d0a-1111-2222-3333-444455556666", job.Id);
        Assert.Equal(JobStatus.Succeeded, job.Status);
        Assert.Equal("flux", job.Kind);
        Assert.Equal(new DateTime(2026, 4, 1, 12, 0, 0, DateTimeKind.Utc), job.CreatedAt);
        Assert.Equal(new DateTime(2026, 4, 1, 12, 0, 7, 250, DateTimeKind.Utc), job.CompletedAt);
        Assert.Equal(TimeSpan.FromMilliseconds(7250), job.Duration);
        Assert.Equal(new object?[] { "https://gen.krea.ai/a.png", "https://gen.krea.ai/b.png" }, job.ResultUrls!);
        Assert.Equal("style-42", job.StyleId);
        Assert.Null(job.Error);
        Assert.Null(job.ErrorCode);
        Assert.Empty(job.ExtraFields);
    }

    [Fact]
    public void Error_and_code_from_error()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"job_id":"j","status":"failed","created_at":"2026-04-01T12:00:00Z","error":{"code":"nsfw","message":"Content was flagged"}}
            """));

        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("Content was flagged", job.Error);
        Assert.Equal("nsfw", job.ErrorCode);
    }

    [Fact]
    public void Error_and_code_from_result_error()
    {
        var job = _provider.ReadJob(TestListing.Parse("""
            {"job_id":"j","status":"failed","created_at":"2026-04-01T12:00:00Z","result":{"error":{"code":"timeout","message":"Generation timed out"}}}
            """));

        Assert.Equal("Generation timed out", job.Error);
        Assert.Equal("timeout", job.ErrorCode);
        Assert.Null(job.ResultUrls);
        Assert.Null(job.StyleId);
    }

    [Fact]
    public void An_error_with_only_a_code_shows_the_code()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"job_id":"j","status":"failed","error":{"code":"quota_exceeded"}}"""));

        Assert.Equal("quota_exceeded", job.Error);
        Assert.Equal("quota_exceeded", job.ErrorCode);
    }

    [Fact]
    public void A_string_error_has_no_code()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"job_id":"j","status":"failed","error":"Something broke"}"""));

        Assert.Equal("Something broke", job.Error);
        Assert.Null(job.ErrorCode);
    }

    [Fact]
    public void Tolerates_nulls_and_missing_fields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"job_id":"j","status":"queued","created_at":"2026-04-01T12:00:00Z","completed_at":null,"result":null,"error":null}"""));

        Assert.Equal(JobStatus.Queued, job.Status);
        Assert.Null(job.CompletedAt);
        Assert.Null(job.ResultUrls);
        Assert.Null(job.StyleId);
        Assert.Null(job.Error);
        Assert.Null(job.ErrorCode);
        Assert.Null(job.Kind);
        Assert.Null(job.Duration);
    }

    [Fact]
    public void Keeps_undocumented_fields_in_ExtraFields()
    {
        var job = _provider.ReadJob(TestListing.Parse("""{"job_id":"j","status":"queued","prompt":"a cat","cost":{"units":3}}"""));

        Assert.Equal(2, job.ExtraFields.Count);
        Assert.Equal("a cat", job.ExtraFields["prompt"]);
        Assert.Equal("""{"units":3}""", job.ExtraFields["cost"]!.ToString());
    }

    [Fact]
    public void The_id_is_job_id()
    {
        Assert.Throws<ProviderResponseShapeException>(() => _provider.ReadJob(TestListing.Parse("""{"id":"j","status":"queued"}""")));
    }
}
