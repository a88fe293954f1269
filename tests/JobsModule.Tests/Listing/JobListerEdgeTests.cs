using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>JobLister's edges: limits met through local filters, what a failed request logs and carries, one job, a cancel.</summary>
public class JobListerEdgeTests
{
    [Fact]
    public void A_limit_not_met_on_a_filtered_page_asks_for_the_next_page()
    {
        // Krea's Queued is three raw statuses, so it is filtered here: page 1 has one queued job of the two wanted.
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(
                Respond.Json(KreaPageOf("p2", "next_cursor", KreaJob("a", "queued"), KreaJob("b", "completed"), KreaJob("c", "completed"))),
                Respond.Json(KreaPageOf(null, "next_cursor", KreaJob("d", "completed"), KreaJob("e", "backlogged")))),
            new JobQuery { Statuses = new[] { JobStatus.Queued }, Limit = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "e" }, run.Ids);
        Assert.Equal(new[] { "/jobs?limit=1000", "/jobs?cursor=p2&limit=1000" }, run.PathsAndQueries);
    }

    [Fact]
    public void A_prefetch_that_fails_after_the_consumer_stopped_is_observed_not_left_to_the_finalizer()
    {
        var marker = "prefetch-failure-" + Guid.NewGuid().ToString("n");
        var unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> watch = (_, e) =>
        {
            if (e.Exception.ToString().Contains(marker, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref unobserved);
            }
        };
        TaskScheduler.UnobservedTaskException += watch;
        try
        {
            Assert.Equal(new[] { "a", "b", "c" }, TakeThreeWhileThePrefetchFails(marker));

            // An exception nobody observed is reported when its task is collected.
            for (var i = 0; i < 3; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }

            Assert.Equal(0, Volatile.Read(ref unobserved));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= watch;
        }
    }

    // A method of its own, so that nothing on the test's stack keeps the failed prefetch alive.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static List<string> TakeThreeWhileThePrefetchFails(string marker)
    {
        // Page 1 has four jobs: the next page is asked for once two are taken, and fails; the consumer stops at three.
        var stub = new StubHandler((_, index) => index == 0
            ? Respond.Json(KreaPage("more", "a", "b", "c", "d"))
            : throw new InvalidOperationException(marker));
        var lister = new JobLister(new HttpClient(stub));
        return lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), TestListing.Fast.Call(new CallLog(), default), new ListingCounts())
            .Take(3).Select(job => job.Id).ToList();
    }

    [Fact]
    public void Every_request_that_fails_is_logged_with_its_status()
    {
        var run = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json("""{"error":"Invalid API key"}""", HttpStatusCode.Unauthorized)));

        Assert.Equal(ProviderErrorKind.Authentication, run.Failure().Kind);
        var verbose = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Verbose);
        Assert.Matches(@"^Krea GET https://api\.krea\.ai/jobs\?limit=1000 -> 401, \d+ ms$", verbose.Text);
    }

    [Fact]
    public void A_200_that_cannot_be_read_is_logged_without_a_job_count()
    {
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json("""{"items":{}}""")));

        Assert.Equal(ProviderErrorKind.InvalidResponse, run.Failure().Kind);
        var verbose = Assert.Single(run.Messages, message => message.Kind == LogMessageKind.Verbose);
        Assert.Matches(@"^Krea GET https://api\.krea\.ai/jobs\?limit=1000 -> 200, \d+ ms$", verbose.Text);
    }

    [Fact]
    public void A_body_that_is_not_JSON_says_so_with_the_parsers_reason()
    {
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json("""{"items":[""")));

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.StartsWith(
            "Krea sent a response to GET https://api.krea.ai/jobs?limit=1000 that could not be read (HTTP 200, content type application/json): the body is not valid JSON (",
            error.Message,
            StringComparison.Ordinal);
        Assert.EndsWith(").", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeout_and_a_network_failure_name_the_URL_asked_for()
    {
        var never = TestListing.Run(
            new KreaProvider(),
            new StubHandler((_, _, token) => Respond.NeverAsync(token)),
            options: new TestOptions { FirstPageSize = null, MaximumRetryCount = 0, RequestTimeout = TimeSpan.FromMilliseconds(30) });
        var unreachable = TestListing.Run(
            new KreaProvider(),
            new StubHandler((_, _) => throw new HttpRequestException("Connection refused")),
            options: new TestOptions { FirstPageSize = null, MaximumRetryCount = 0 });

        Assert.Equal(ProviderErrorKind.Timeout, never.Failure().Kind);
        Assert.Equal("https://api.krea.ai/jobs?limit=1000", never.Failure().RequestUri!.AbsoluteUri);
        Assert.Equal(ProviderErrorKind.Network, unreachable.Failure().Kind);
        Assert.Equal("https://api.krea.ai/jobs?limit=1000", unreachable.Failure().RequestUri!.AbsoluteUri);
    }

    [Fact]
    public void A_request_id_comes_from_x_request_id_then_request_id()
    {
        var both = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json("{}", HttpStatusCode.Forbidden).WithHeader("request-id", "second").WithHeader("x-request-id", "first")));
        var plain = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json("{}", HttpStatusCode.Forbidden).WithHeader("request-id", "only")));
        var twice = TestListing.Run(
            new KreaProvider(),
            new StubHandler(Respond.Json("{}", HttpStatusCode.Forbidden).WithHeader("x-request-id", "r1").WithHeader("x-request-id", "r2")));

        Assert.Equal("first", both.Failure().RequestId);
        Assert.Equal("only", plain.Failure().RequestId);
        Assert.Equal("r1,r2", twice.Failure().RequestId);
    }

    [Fact]
    public void A_300_is_a_redirect_refused_like_the_others()
    {
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Status(300).WithHeader("Location", "https://elsewhere.example.net/")));

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.UnsafeRedirect, error.Kind);
        Assert.Equal(300, error.StatusCode);
    }

    [Fact]
    public void A_status_without_a_reason_phrase_is_named_by_its_number()
    {
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Json("{}", (HttpStatusCode)499)));

        var error = run.Failure();
        Assert.Equal(ProviderErrorKind.HttpError, error.Kind);
        Assert.Equal("Krea answered 499 499 to GET https://api.krea.ai/jobs?limit=1000.", error.Message);
    }

    [Theory]
    [InlineData(299, false)]
    [InlineData(300, false)]
    [InlineData(301, true)]
    public void A_plain_text_error_is_cut_only_beyond_300_characters(int length, bool cut)
    {
        var text = new string('e', length);
        var run = TestListing.Run(new KreaProvider(), new StubHandler(Respond.Text(text, "text/plain", HttpStatusCode.BadRequest)));

        Assert.Equal(cut ? text.Substring(0, 300) + "..." : text, run.Failure().ProviderMessage);
    }

    [Fact]
    public void X_RateLimit_Reset_of_exactly_one_billion_is_neither_an_epoch_nor_a_wait()
    {
        // Above a billion is epoch seconds; up to a year is seconds from now; what lies between is no time at all.
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("X-RateLimit-Reset", "1000000000");

        Assert.Null(ProviderClient.RetryAfter(response));
    }

    [Fact]
    public async Task One_job_is_read_from_the_single_job_endpoint_with_its_account()
    {
        var stub = new StubHandler(Respond.Json(KreaJob("k1", "processing")));
        var lister = new JobLister(new HttpClient(stub));

        var job = await lister.GetJobAsync(TestListing.Endpoint(new KreaProvider(), account: "team"), "k1", TestListing.Fast.Call(new CallLog(), default));

        Assert.Equal("k1", job.Id);
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal("team", job.Account);
        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("https://api.krea.ai/jobs/k1", request.Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("other")]
    [InlineData("K1")] // ids are compared exactly: one that differs only in case is another job
    public async Task A_single_job_answer_about_another_job_is_refused_naming_both_ids(string answered)
    {
        var stub = new StubHandler((_, _) => Respond.Json(KreaJob(answered, "processing")));
        var log = new CallLog();

        var error = await Assert.ThrowsAsync<ProviderRequestException>(() => new JobLister(new HttpClient(stub)).GetJobAsync(TestListing.Endpoint(new KreaProvider()), "k1", TestListing.Fast.Call(log, default)));

        Assert.Equal(ProviderErrorKind.InvalidResponse, error.Kind);
        Assert.Equal(200, error.StatusCode);
        Assert.Equal("application/json", error.ContentType);
        Assert.Equal("https://api.krea.ai/jobs/k1", error.RequestUri!.AbsoluteUri);
        Assert.Equal(
            $"Krea answered GET https://api.krea.ai/jobs/k1 with job '{answered}' instead of job 'k1' (a gateway or cache in between may be mixing up answers); the answer is not used, and nothing was done to either job.",
            error.Message);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public async Task An_account_that_answers_with_another_job_does_not_hide_the_account_that_has_it()
    {
        var stub = new StubHandler((request, _) => Respond.Json(KreaJob(request.Header("Authorization") == "Bearer key-b" ? "k1" : "other", "processing")));
        var endpoints = new[] { TestListing.Endpoint(new KreaProvider(), key: "key-a", account: "a"), TestListing.Endpoint(new KreaProvider(), key: "key-b", account: "b") };

        var lookup = await new JobLister(new HttpClient(stub)).FindJobAsync(endpoints, "k1", TestListing.Fast.Call(new CallLog(), default));

        Assert.Equal("k1", lookup.Job!.Id);
        Assert.Equal("b", lookup.Job.Account);
        Assert.Equal(2, stub.Count);
    }

    [Fact]
    public async Task A_cancel_is_sent_once_never_retried()
    {
        var stub = new StubHandler((_, _) => Respond.Json("""{"error":"busy"}""", HttpStatusCode.ServiceUnavailable));
        var lister = new JobLister(new HttpClient(stub));

        var error = await Assert.ThrowsAsync<ProviderRequestException>(() =>
            lister.SendJobRequestAsync(TestListing.Endpoint(new KreaProvider()), new KreaProvider().CancelRequest(new Uri("https://api.krea.ai"), "k1")!, TestListing.Fast.Call()));

        Assert.Equal(ProviderErrorKind.ServerError, error.Kind);
        var request = Assert.Single(stub.Requests);
        Assert.Equal(HttpMethod.Delete, request.Method);
        Assert.Equal("https://api.krea.ai/jobs/k1", request.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_cancel_that_is_accepted_returns_true_and_keeps_to_the_gate()
    {
        using var gate = new SemaphoreSlim(1);
        var heldDuringRequest = -1;
        var stub = new StubHandler((_, _) =>
        {
            heldDuringRequest = gate.CurrentCount;
            return Respond.Json("""{"job_id":"k1","status":"cancelled"}""");
        });
        var lister = new JobLister(new HttpClient(stub));

        var cancelled = await lister.SendJobRequestAsync(
            TestListing.Endpoint(new KreaProvider()), new KreaProvider().CancelRequest(new Uri("https://api.krea.ai"), "k1")!, new TestOptions { RequestGate = gate, RequestTimeout = TimeSpan.FromSeconds(30) }.Call());

        Assert.True(cancelled);
        Assert.Equal(0, heldDuringRequest);
        Assert.Equal(1, gate.CurrentCount);
    }
}

/// <summary>The HttpClient a JobLister makes for itself, over a real loopback socket.</summary>
public class SharedClientTests
{
    [Fact]
    public async Task It_sends_the_modules_user_agent_and_reads_gzip()
    {
        var body = Encoding.UTF8.GetBytes(KreaPage(null, "zipped"));
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        await using var server = LoopbackServer.Start(Response(200, "OK", compressed.ToArray(), "Content-Encoding: gzip"));

        var jobs = new JobLister(NewSharedClient()).List(TestListing.Endpoint(new KreaProvider(), server.BaseUri), new JobQuery(), TestListing.Fast.Call(new CallLog(), default), new ListingCounts()).ToList();

        Assert.Equal("zipped", Assert.Single(jobs).Id);
        var request = Assert.Single(server.Requests);
        var version = typeof(JobLister).Assembly.GetName().Version!.ToString(3);
        Assert.Contains($"\r\nUser-Agent: JobsModule/{version}\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\r\nAccept-Encoding: gzip, deflate\r\n", request, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task It_does_not_follow_a_redirect()
    {
        await using var server = LoopbackServer.Start(
            Response(302, "Found", Array.Empty<byte>(), "Location: /elsewhere/jobs"),
            Response(200, "OK", Encoding.UTF8.GetBytes(KreaPage(null, "followed"))));

        var error = Assert.Throws<ProviderRequestException>(() =>
            new JobLister(NewSharedClient()).List(TestListing.Endpoint(new KreaProvider(), server.BaseUri), new JobQuery(), TestListing.Fast.Call(new CallLog(), default), new ListingCounts()).ToList());

        Assert.Equal(ProviderErrorKind.UnsafeRedirect, error.Kind);
        Assert.Equal(302, error.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_JobLister_made_without_a_client_uses_that_client()
    {
        await using var server = LoopbackServer.Start(Response(302, "Found", Array.Empty<byte>(), "Location: /elsewhere/jobs"));

        var error = Assert.Throws<ProviderRequestException>(() =>
            new JobLister().List(TestListing.Endpoint(new KreaProvider(), server.BaseUri), new JobQuery(), TestListing.Fast.Call(new CallLog(), default), new ListingCounts()).ToList());

        Assert.Equal(ProviderErrorKind.UnsafeRedirect, error.Kind);
        Assert.Contains("\r\nUser-Agent: JobsModule/", Assert.Single(server.Requests), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void It_leaves_timeouts_to_each_request()
    {
        // RequestTimeout (-TimeoutSec) times each request; HttpClient's own 100 s must not cut a longer one short.
        using var client = NewSharedClient();

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }

    /// <summary>
    /// A client from the factory JobLister() uses. The shared one is made once per process, so a test
    /// that needs the factory's own settings makes a fresh one through the same (private) method.
    /// </summary>
    private static HttpClient NewSharedClient() =>
        ProviderClient.CreateClient();

    private static byte[] Response(int status, string reason, byte[] body, params string[] headers)
    {
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        head.Append("\r\n");
        return Encoding.ASCII.GetBytes(head.ToString()).Concat(body).ToArray();
    }

    /// <summary>Answers each connection on 127.0.0.1 with the next canned response, and records each request's head.</summary>
    private sealed class LoopbackServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task _serving;
        private readonly List<string> _requests = new();

        private LoopbackServer(TcpListener listener, IReadOnlyList<byte[]> responses)
        {
            _listener = listener;
            _serving = Task.Run(() => ServeAsync(responses));
        }

        public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

        public IReadOnlyList<string> Requests
        {
            get
            {
                lock (_requests)
                {
                    return _requests.ToList();
                }
            }
        }

        public static LoopbackServer Start(params byte[][] responses)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new LoopbackServer(listener, responses);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _serving.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The listener was stopped while waiting for a connection that never came.
            }
        }

        private async Task ServeAsync(IReadOnlyList<byte[]> responses)
        {
            foreach (var response in responses)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
                {
                    head.Append((char)buffer[0]);
                }

                lock (_requests)
                {
                    _requests.Add(head.ToString());
                }

                await stream.WriteAsync(response);
                await stream.FlushAsync();
            }
        }
    }
}
