using System.Net;
using System.Text;
using System.Text.Json;

namespace JobsModule.Tests;

/// <summary>Save-ProviderJobOutput's engine: what is asked and fetched for each job, what lands on disk, and what the caller is told.</summary>
public sealed class OutputSaverTests : IDisposable
{
    private static readonly KreaProvider Krea = new();
    private static readonly PyannoteAIProvider Pyannote = new();
    private static readonly ConvertlyProvider Convertly = new();
    private static readonly UnstructuredProvider Unstructured = new();

    private readonly string _root = Path.Combine(Path.GetTempPath(), "jobsmodule-saver-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>The bytes a file host serves for a URL: different for every URL.</summary>
    private static byte[] BytesOf(Uri uri, int length = 70_000) =>
        Enumerable.Range(0, length).Select(i => (byte)(uri.AbsolutePath.GetHashCode(StringComparison.Ordinal) + (i * 31))).ToArray();

    private static HttpResponseMessage File(byte[] bytes, int breakAfter = int.MaxValue, bool stall = false)
    {
        var content = new StreamContent(new ScriptedBody(bytes, breakAfter, stall));
        content.Headers.ContentLength = bytes.Length;
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    private static ProviderJob KreaJob(string id, string status, params string[] urls) =>
        Krea.ReadJob(JsonDocument.Parse("{\"job_id\":\"" + id + "\",\"status\":\"" + status + "\",\"created_at\":\"2026-01-01T00:00:00Z\",\"result\":{\"urls\":["
            + string.Join(",", urls.Select(url => JsonSerializer.Serialize(url))) + "]}}").RootElement);

    private OutputSaver Saver(StubHandler stub, RecordingEvents events, bool force = false, int throttle = 4, CallLog? log = null, CancellationToken token = default) =>
        new(new JobLister(new HttpClient(stub)), new OutputClient(new HttpClient(stub)), new SaveSettings(_root, force, throttle, PassThru: true), (TestListing.Fast with { MaximumRetryCount = 1 }).Call(log, token), events, () => { });

    private static IReadOnlyList<ProviderEndpoint> Endpoints(IJobProvider provider) => new[] { TestListing.Endpoint(provider, account: "main") };

    private string[] FilesOnDisk() =>
        Directory.Exists(_root) ? Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(_root, path).Replace('\\', '/')).OrderBy(path => path, StringComparer.Ordinal).ToArray() : Array.Empty<string>();

    private static bool CarriesAKey(RecordedRequest request) =>
        request.Header("Authorization") is not null || request.Header("unstructured-api-key") is not null || request.Header("x-api-key") is not null;

    [Fact]
    public void A_listed_Krea_job_is_saved_file_by_file_under_Provider_and_job_id_without_asking_Krea()
    {
        var stub = new StubHandler((request, _) => File(BytesOf(request.Uri)));
        var job = KreaJob("k1", "completed", "https://gen.krea.ai/images/a.png", "https://gen.krea.ai/images/b.png?sig=1");
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), job.Id, job);
            saver.Finish();
        }

        Assert.Equal(new[] { "Krea/k1/a.png", "Krea/k1/b.png" }, FilesOnDisk());
        Assert.Equal(BytesOf(new Uri("https://gen.krea.ai/images/a.png")), System.IO.File.ReadAllBytes(Path.Combine(_root, "Krea", "k1", "a.png")));
        Assert.Equal(BytesOf(new Uri("https://gen.krea.ai/images/b.png")), System.IO.File.ReadAllBytes(Path.Combine(_root, "Krea", "k1", "b.png")));
        Assert.All(stub.Requests, request => Assert.Equal("gen.krea.ai", request.Uri.Host));
        Assert.DoesNotContain(stub.Requests, CarriesAKey);
        Assert.Equal(2, events.Files.Count);
        Assert.All(events.Files, file => Assert.Equal(("Krea", "k1", "main", 70_000L), (file.Provider, file.JobId, file.Account, new FileInfo(file.Path).Length)));
        Assert.Empty(events.Problems);
        var (target, action) = Assert.Single(events.Confirmations);
        Assert.Equal("Krea job 'k1' (completed)", target);
        Assert.Equal($"Save its outputs to '{Path.Combine(_root, "Krea", "k1")}'", action);
        Assert.Equal((1, "2 of 2 files, 0.1 of 0.1 MB", 100, false), (events.ProgressReports[^1].Id, events.ProgressReports[^1].Status, events.ProgressReports[^1].Percent, events.ProgressReports[^1].Completed));
    }

    [Fact]
    public void Two_outputs_with_one_name_are_numbered_and_a_name_that_would_leave_the_folder_stays_in_it()
    {
        var stub = new StubHandler((request, _) => File(BytesOf(request.Uri, 10)));
        var job = KreaJob("k1", "completed", "https://a.example/x/img.png", "https://b.example/y/IMG.png", "https://c.example/..%2F..%2F..%2Fevil.png", "https://d.example/CON");
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), job.Id, job);
            saver.Finish();
        }

        Assert.Equal(new[] { "Krea/k1/IMG (2).png", "Krea/k1/_CON", "Krea/k1/evil.png", "Krea/k1/img.png" }, FilesOnDisk());
    }

    [Fact]
    public void A_key_in_a_file_name_from_the_server_is_taken_out_of_the_name_on_disk_and_in_what_is_handed_on()
    {
        var stub = new StubHandler((request, _) => File(BytesOf(request.Uri, 10)));
        var job = Unstructured.ReadJob(JsonDocument.Parse($$"""{"id":"u1","status":"COMPLETED","created_at":"2026-01-01T00:00:00Z","output_node_files":[{"node_id":"n1","file_id":"{{TestListing.Key}}.json"}]}""").RootElement);
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Unstructured), job.Id, job);
            saver.Finish();
        }

        var saved = Assert.Single(FilesOnDisk());
        Assert.DoesNotContain(TestListing.Key, saved, StringComparison.Ordinal);
        Assert.Equal("Unstructured/u1/(redacted).json", saved);
        Assert.DoesNotContain(TestListing.Key, Assert.Single(events.Files).Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://gen.krea.ai/images/{key}.png")]
    [InlineData("https://gen.krea.ai/images/a.png?token={key}")]
    [InlineData("https://gen.krea.ai/images/a.png?token={escaped}")]
    public void An_output_URL_that_holds_the_key_is_not_fetched_so_the_key_goes_nowhere_else(string url)
    {
        var stub = new StubHandler((request, _) => File(BytesOf(request.Uri, 10)));
        var holding = url.Replace("{key}", TestListing.Key, StringComparison.Ordinal).Replace("{escaped}", Uri.EscapeDataString(TestListing.Key).Replace("-", "%2D", StringComparison.Ordinal), StringComparison.Ordinal);
        var job = KreaJob("k1", "completed", holding, "https://gen.krea.ai/images/ok.png");
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), job.Id, job);
            saver.Finish();
        }

        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.InsecureOutputUri, problem.Kind);
        Assert.Contains("holds the account's key", problem.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "https://gen.krea.ai/images/ok.png" }, stub.Requests.Select(request => request.Uri.AbsoluteUri));
        Assert.Equal(new[] { "Krea/k1/ok.png" }, FilesOnDisk());
    }

    [Fact]
    public void A_cut_download_leaves_nothing_under_its_name_and_the_other_files_go_on()
    {
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath.EndsWith("cut.png", StringComparison.Ordinal) ? File(BytesOf(request.Uri), breakAfter: 35_000) : File(BytesOf(request.Uri)));
        var job = KreaJob("k1", "completed", "https://f.example/cut.png", "https://f.example/ok.png");
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), job.Id, job);
            saver.Finish();
        }

        Assert.Equal(new[] { "Krea/k1/ok.png" }, FilesOnDisk());
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.OutputIncomplete, problem.Kind);
        Assert.Equal(Path.Combine(_root, "Krea", "k1", "cut.png"), problem.Target);
        Assert.Contains("'cut.png' of Krea job 'k1' did not arrive whole", problem.Message, StringComparison.Ordinal);
        Assert.Equal(2, stub.Requests.Count(request => request.Uri.AbsolutePath.EndsWith("cut.png", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_existing_file_is_an_error_and_left_as_it_was_without_Force_and_replaced_with_it()
    {
        var stub = new StubHandler((request, _) => File(BytesOf(request.Uri)));
        var job = KreaJob("k1", "completed", "https://f.example/a.png", "https://f.example/b.png");
        Directory.CreateDirectory(Path.Combine(_root, "Krea", "k1"));
        var existing = Path.Combine(_root, "Krea", "k1", "a.png");
        System.IO.File.WriteAllText(existing, "mine");
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), job.Id, job);
            saver.Finish();
        }

        Assert.Equal("mine", System.IO.File.ReadAllText(existing));
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.OutputFileExists, problem.Kind);
        Assert.Equal(existing, problem.Target);
        Assert.Equal(new[] { "/b.png" }, stub.Requests.Select(request => request.Uri.AbsolutePath));

        var again = new RecordingEvents();
        using (var saver = Saver(stub, again, force: true))
        {
            saver.Save(Endpoints(Krea), job.Id, job);
            saver.Finish();
        }

        Assert.Empty(again.Problems);
        Assert.Equal(BytesOf(new Uri("https://f.example/a.png")), System.IO.File.ReadAllBytes(existing));
        Assert.Equal(new[] { "Krea/k1/a.png", "Krea/k1/b.png" }, FilesOnDisk());
    }

    [Theory]
    [InlineData("processing", "was Running ('processing') when it was listed")]
    [InlineData("queued", "was Queued ('queued') when it was listed")]
    [InlineData("moderated", "has status 'moderated', which the module does not know")]
    public void A_piped_job_that_has_not_finished_is_refused_before_anything_is_asked_or_sent(string status, string words)
    {
        var stub = new StubHandler();
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), "k1", KreaJob("k1", status));
            saver.Finish();
        }

        Assert.Equal(0, stub.Count);
        Assert.Empty(events.Confirmations);
        var problem = Assert.Single(events.Problems);
        Assert.Equal(ProblemKind.JobNotFinished, problem.Kind);
        Assert.Null(problem.Target);
        Assert.Contains(words, problem.Message, StringComparison.Ordinal);
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public void A_declined_confirmation_sends_nothing_and_writes_nothing()
    {
        var stub = new StubHandler();
        var events = new RecordingEvents(confirm: false);

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), "by-id", null);
            saver.Save(Endpoints(Krea), "k1", KreaJob("k1", "completed", "https://f.example/a.png"));
            saver.Finish();
        }

        Assert.Equal(0, stub.Count);
        Assert.Equal(new[] { "Krea job 'by-id'", "Krea job 'k1' (completed)" }, events.Confirmations.Select(confirmation => confirmation.Target));
        Assert.False(Directory.Exists(_root));
    }

    [Fact]
    public void By_id_the_job_is_read_once_and_then_its_files_fetched()
    {
        var stub = new StubHandler((request, _) => request.Uri.Host == "api.krea.ai"
            ? Respond.Json("""{"job_id":"k1","status":"completed","created_at":"2026-01-01T00:00:00Z","result":{"urls":["https://f.example/a.png"]}}""")
            : File(BytesOf(request.Uri)));
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), "k1", null);
            saver.Finish();
        }

        Assert.Equal(new[] { "https://api.krea.ai/jobs/k1", "https://f.example/a.png" }, stub.Requests.Select(request => request.Uri.AbsoluteUri));
        Assert.True(CarriesAKey(stub.Requests[0]));
        Assert.False(CarriesAKey(stub.Requests[1]));
        Assert.Equal(new[] { "Krea/k1/a.png" }, FilesOnDisk());
    }

    [Fact]
    public void By_id_a_running_job_is_read_and_refused_and_a_missing_one_is_a_job_problem()
    {
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath == "/jobs/running"
            ? Respond.Json("""{"job_id":"running","status":"processing","created_at":"2026-01-01T00:00:00Z"}""")
            : Respond.Status(404, """{"error":"not found"}"""));
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), "running", null);
            saver.Save(Endpoints(Krea), "gone", null);
            saver.Finish();
        }

        Assert.Equal(2, stub.Count);
        Assert.Equal(new[] { ProblemKind.JobNotFinished, ProblemKind.RequestFailed }, events.Problems.Select(problem => problem.Kind));
        Assert.Contains("is Running ('processing')", events.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(("gone", ProviderErrorKind.NotFound), (events.Problems[1].JobId, events.Problems[1].Failure!.Kind));
    }

    [Fact]
    public void A_PyannoteAI_job_is_read_once_its_output_written_as_sent_and_its_media_fetched_through_a_link_without_the_key()
    {
        const string output = """{"diarization":[{"speaker":"SPEAKER_00","start":0.5,"end":3.20}],"media":"media://outputs/p1.wav"}""";
        var stub = new StubHandler((request, _) => (request.Method.Method, request.Uri.Host, request.Uri.AbsolutePath) switch
        {
            ("GET", "api.pyannote.ai", "/v1/jobs/p1") => Respond.Json($$"""{"jobId":"p1","status":"succeeded","createdAt":"2026-01-01T00:00:00Z","output":{{output}}}"""),
            ("POST", "api.pyannote.ai", "/v1/media/output") => Respond.Json("""{"url":"https://bucket.example/p1.wav?X-Amz-Signature=s"}""", HttpStatusCode.Created),
            _ => File(BytesOf(request.Uri)),
        });
        var listed = Pyannote.ReadJob(JsonDocument.Parse("""{"id":"p1","status":"succeeded","createdAt":"2026-01-01T00:00:00Z"}""").RootElement);
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Pyannote), "p1", listed);
            saver.Finish();
        }

        Assert.Equal(new[] { "PyannoteAI/p1/p1.json", "PyannoteAI/p1/p1.wav" }, FilesOnDisk());
        Assert.Equal(output, System.IO.File.ReadAllText(Path.Combine(_root, "PyannoteAI", "p1", "p1.json"), Encoding.UTF8));
        Assert.Equal(new[] { "GET api.pyannote.ai True", "POST api.pyannote.ai True", "GET bucket.example False" },
            stub.Requests.Select(request => $"{request.Method} {request.Uri.Host} {CarriesAKey(request)}"));
    }

    [Fact]
    public void A_media_link_that_names_this_machine_is_not_fetched_and_the_rest_of_the_job_is_saved()
    {
        const string output = """{"diarization":[],"media":"media://outputs/p1.wav"}""";
        var stub = new StubHandler((request, _) => (request.Method.Method, request.Uri.Host) switch
        {
            ("GET", "api.pyannote.ai") => Respond.Json($$"""{"jobId":"p1","status":"succeeded","createdAt":"2026-01-01T00:00:00Z","output":{{output}}}"""),
            ("POST", "api.pyannote.ai") => Respond.Json("""{"url":"http://127.0.0.1:2375/containers/json"}""", HttpStatusCode.Created),
            _ => File(BytesOf(request.Uri)),
        });
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Pyannote), "p1", null);
            saver.Finish();
        }

        var problem = Assert.Single(events.Problems);
        Assert.Equal((ProblemKind.OutputRequestFailed, ProviderErrorKind.UnsafeRedirect), (problem.Kind, problem.Failure!.Kind));
        Assert.Contains("which is this machine", problem.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "GET api.pyannote.ai", "POST api.pyannote.ai" }, stub.Requests.Select(request => $"{request.Method} {request.Uri.Host}"));
        Assert.Equal(new[] { "PyannoteAI/p1/p1.json" }, FilesOnDisk());
    }

    [Fact]
    public void A_key_in_a_PyannoteAI_output_is_taken_out_of_the_file_as_everywhere_else()
    {
        var output = "{\"diarization\":[],\"note\":\"echo " + TestListing.Key + "\"}";
        var stub = new StubHandler((_, _) => Respond.Json("{\"jobId\":\"p1\",\"status\":\"succeeded\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"output\":" + output + "}"));
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Pyannote), "p1", null);
            saver.Finish();
        }

        var saved = System.IO.File.ReadAllText(Path.Combine(_root, "PyannoteAI", "p1", "p1.json"), Encoding.UTF8);
        Assert.DoesNotContain(TestListing.Key, saved, StringComparison.Ordinal);
        Assert.Equal("{\"diarization\":[],\"note\":\"echo (redacted)\"}", saved);
    }

    [Fact]
    public void A_PyannoteAI_output_gone_says_how_long_pyannoteAI_keeps_outputs_and_a_Krea_one_says_there_is_no_such_period()
    {
        var pyannote = new StubHandler((request, _) => request.Uri.Host == "api.pyannote.ai"
            ? Respond.Json($$"""{"jobId":"old","status":"succeeded","createdAt":"2026-01-01T00:00:00Z","updatedAt":"{{DateTime.UtcNow.AddHours(-30):yyyy-MM-ddTHH:mm:ssZ}}","output":null}""")
            : Respond.Status(404));
        var krea = new StubHandler((_, _) => Respond.Status(404, "<Error/>", "application/xml"));
        var events = new RecordingEvents();

        using (var saver = Saver(pyannote, events))
        {
            saver.Save(Endpoints(Pyannote), "old", null);
            saver.Finish();
        }

        using (var saver = Saver(krea, events))
        {
            saver.Save(Endpoints(Krea), "k1", KreaJob("k1", "completed", "https://f.example/a.png"));
            saver.Finish();
        }

        Assert.Equal(new[] { ProblemKind.OutputExpired, ProblemKind.OutputNotFound }, events.Problems.Select(problem => problem.Kind));
        Assert.Contains("PyannoteAI keeps a job's outputs for 24 hours after it finishes, and this job finished 30 hours ago", events.Problems[0].Message, StringComparison.Ordinal);
        Assert.Null(events.Problems[0].Target);
        Assert.Contains("Krea documents no retention period", events.Problems[1].Message, StringComparison.Ordinal);
        Assert.Equal(404, events.Problems[1].Failure!.StatusCode);
        Assert.Equal(1, krea.Count);
        Assert.Empty(FilesOnDisk());
    }

    [Fact]
    public void A_recent_finished_job_without_outputs_is_a_verbose_line_not_an_error()
    {
        var stub = new StubHandler();
        var log = new CallLog();
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events, log: log))
        {
            saver.Save(Endpoints(Krea), "k1", KreaJob("k1", "failed"));
            saver.Finish();
        }

        Assert.Empty(events.Problems);
        Assert.Equal(0, stub.Count);
        var lines = new List<string>();
        while (log.TryTake(out var message))
        {
            lines.Add(message.Text);
        }

        Assert.Contains("Krea job 'k1' has finished (Failed) without outputs to save.", lines);
    }

    [Theory]
    [InlineData("http://files.example/a.png", "InsecureOutputUri")]
    [InlineData("file:///etc/passwd", "InvalidOutputUri")]
    [InlineData("//files.example/a.png", "InvalidOutputUri")]
    [InlineData("http://127.0.0.1:8080/admin", "InsecureOutputUri")]
    [InlineData("https://localhost/a.png", "InsecureOutputUri")]
    public void An_output_URL_that_breaks_the_https_rule_is_refused_and_nothing_is_sent(string url, string kind)
    {
        var stub = new StubHandler((request, _) => File(BytesOf(request.Uri)));
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Krea), "k1", KreaJob("k1", "completed", url, "https://files.example/ok.png"));
            saver.Finish();
        }

        Assert.Equal(kind, Assert.Single(events.Problems).Kind.ToString());
        Assert.Equal(new[] { "https://files.example/ok.png" }, stub.Requests.Select(request => request.Uri.AbsoluteUri));
        Assert.Equal(new[] { "Krea/k1/ok.png" }, FilesOnDisk());
    }

    [Fact]
    public void Unstructured_outputs_come_from_its_API_with_its_key()
    {
        var stub = new StubHandler((request, _) => File(BytesOf(request.Uri, 500)));
        var job = Unstructured.ReadJob(JsonDocument.Parse("""{"id":"u1","status":"COMPLETED","created_at":"2026-01-01T00:00:00Z","output_node_files":[{"node_id":"n1","file_id":"output-001.json"}]}""").RootElement);
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events))
        {
            saver.Save(Endpoints(Unstructured), "u1", job);
            saver.Finish();
        }

        var request = Assert.Single(stub.Requests);
        Assert.Equal("https://platform.unstructuredapp.io/api/v1/jobs/u1/download?file_id=output-001.json&node_id=n1", request.Uri.AbsoluteUri);
        Assert.Equal(TestListing.Key, request.Header("unstructured-api-key"));
        Assert.Equal(new[] { "Unstructured/u1/output-001.json" }, FilesOnDisk());
    }

    [Fact]
    public void Downloads_run_at_most_ThrottleLimit_at_once()
    {
        var running = 0;
        var most = 0;
        var stub = new StubHandler(async (request, _, token) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(30, token);
            Interlocked.Decrement(ref running);
            return File(BytesOf(request.Uri, 100));
        });
        var events = new RecordingEvents();

        using (var saver = Saver(stub, events, throttle: 3))
        {
            for (var j = 0; j < 4; j++)
            {
                var job = KreaJob("k" + j, "completed", Enumerable.Range(0, 5).Select(k => $"https://f.example/{j}/{k}.png").ToArray());
                saver.Save(Endpoints(Krea), job.Id, job);
            }

            saver.Finish();
        }

        Assert.Equal(20, events.Files.Count);
        Assert.Equal(20, FilesOnDisk().Length);
        Assert.InRange(most, 2, 3);
    }

    [Fact]
    public async Task Stopped_while_a_download_stalls_no_file_is_left_under_its_name_nor_a_partial_one()
    {
        using var stop = new CancellationTokenSource();
        var stub = new StubHandler((request, _) => request.Uri.AbsolutePath == "/stall.png" ? File(BytesOf(request.Uri), breakAfter: 20_000, stall: true) : File(BytesOf(request.Uri)));
        var events = new RecordingEvents();
        var job = KreaJob("k1", "completed", "https://f.example/ok.png", "https://f.example/stall.png");

        using (var saver = Saver(stub, events, token: stop.Token))
        {
            saver.Save(Endpoints(Krea), job.Id, job);
            Assert.True(await stub.WaitForRequestsAsync(2));
            stop.CancelAfter(200);
            Assert.ThrowsAny<OperationCanceledException>(() => saver.Finish());
        }

        Assert.DoesNotContain("Krea/k1/stall.png", FilesOnDisk());
        Assert.DoesNotContain(FilesOnDisk(), path => path.Contains(".partial-", StringComparison.Ordinal));
        Assert.DoesNotContain(events.Problems, problem => problem.Target?.EndsWith("stall.png", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Disposed_before_Finish_the_downloads_still_running_end_and_leave_no_file_behind()
    {
        // A pipeline that ends early (stopped, or failed upstream) never calls Finish; the cmdlet's Dispose ends the call.
        var stub = new StubHandler((request, _) => File(BytesOf(request.Uri), breakAfter: 20_000, stall: true));
        var events = new RecordingEvents();
        var job = KreaJob("k1", "completed", "https://f.example/a.png", "https://f.example/b.png");

        var saver = Saver(stub, events);
        saver.Save(Endpoints(Krea), job.Id, job);
        Assert.True(await stub.WaitForRequestsAsync(2));
        Assert.Equal(2, FilesOnDisk().Count(path => path.Contains(".partial-", StringComparison.Ordinal)));
        saver.Dispose();

        Assert.Empty(FilesOnDisk());
        Assert.Empty(events.Files);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
