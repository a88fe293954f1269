using System.Net;
using System.Net.Http.Headers;
using System.Text;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>
/// The cmdlets block their pipeline thread on the listing's tasks, and a host may give that thread a
/// SynchronizationContext (a GUI host does). So no await in the engine may come back through the
/// caller's context: with a context that runs nothing itself, that would be a deadlock. Each case
/// makes a different await the first one that really waits, on a thread whose context counts posts.
/// </summary>
public class SynchronizationContextTests
{
    [Fact]
    public void Waiting_for_the_ThrottleLimit_gate_does_not_come_back_through_the_callers_context()
    {
        using var gate = new SemaphoreSlim(0);
        using var release = new Timer(_ => gate.Release(), null, 50, Timeout.Infinite);
        var options = new TestOptions { MaximumRetryCount = 0, RequestTimeout = TimeSpan.FromSeconds(30), RequestGate = gate };

        var run = OnContextThread(new StubHandler(Respond.Json(KreaPage(null, "a"))), options);

        Assert.Equal(new[] { "a" }, run.Ids);
        Assert.Equal(0, run.Posts);
    }

    [Fact]
    public void Waiting_for_the_response_does_not_come_back_through_the_callers_context()
    {
        var run = OnContextThread(new StubHandler(SlowAnswer), TestListing.Fast);

        Assert.Equal(new[] { "slow" }, run.Ids);
        Assert.Equal(0, run.Posts);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Reading_a_page_that_arrives_late_does_not_come_back_through_the_callers_context(bool slowOpen, bool slowReads)
    {
        var body = Encoding.UTF8.GetBytes(KreaPage(null, "late"));
        var run = OnContextThread(new StubHandler(new HttpResponseMessage(HttpStatusCode.OK) { Content = new LateContent(body, slowOpen, slowReads) }), TestListing.Fast);

        Assert.Equal(new[] { "late" }, run.Ids);
        Assert.Equal(0, run.Posts);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Reading_an_error_body_that_arrives_late_does_not_come_back_through_the_callers_context(bool slowOpen, bool slowReads)
    {
        var body = Encoding.UTF8.GetBytes("""{"error":"Invalid API key"}""");
        var run = OnContextThread(new StubHandler(new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new LateContent(body, slowOpen, slowReads) }), TestListing.Fast);

        var error = Assert.IsType<ProviderRequestException>(run.Error);
        Assert.Equal("Invalid API key", error.ProviderMessage);
        Assert.Equal(0, run.Posts);
    }

    [Fact]
    public void Waiting_to_retry_does_not_come_back_through_the_callers_context()
    {
        var options = new TestOptions
        {
            MaximumRetryCount = 1,
            RetryInterval = TimeSpan.FromMilliseconds(30),
            MaximumRetryDelay = TimeSpan.FromSeconds(1),
            RequestTimeout = TimeSpan.FromSeconds(30),
        };

        var run = OnContextThread(new StubHandler(Respond.Status(503), Respond.Json(KreaPage(null, "second"))), options);

        Assert.Equal(new[] { "second" }, run.Ids);
        Assert.Equal(0, run.Posts);
    }

    private static async Task<HttpResponseMessage> SlowAnswer(RecordedRequest request, int index, CancellationToken token)
    {
        await Task.Delay(30, token).ConfigureAwait(false);
        return Respond.Json(KreaPage(null, "slow"));
    }

    /// <summary>Lists Krea on a thread of its own whose SynchronizationContext counts what is posted to it.</summary>
    private static ContextRun OnContextThread(StubHandler stub, TestOptions options)
    {
        var context = new CountingContext();
        var jobs = new List<ProviderJob>();
        Exception? error = null;
        var thread = new Thread(() =>
        {
            SynchronizationContext.SetSynchronizationContext(context);
            try
            {
                var lister = new JobLister(new HttpClient(stub));
                jobs.AddRange(lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), options.Call(new CallLog(), default), new ListingCounts()));
            }
            catch (Exception ex)
            {
                error = ex;
            }
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "The listing did not end within 30 s.");
        return new ContextRun(jobs.Select(job => job.Id).ToList(), error, context.Posts);
    }

    private sealed record ContextRun(IReadOnlyList<string> Ids, Exception? Error, int Posts);

    /// <summary>Counts every continuation posted to it, and runs it on the thread pool so that nothing hangs.</summary>
    private sealed class CountingContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }

        public override void Send(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            d(state);
        }

        public override SynchronizationContext CreateCopy() => this;
    }

    /// <summary>A body that takes a moment to open, or comes in late pieces, as over a slow network.</summary>
    private sealed class LateContent : HttpContent
    {
        private readonly byte[] _body;
        private readonly bool _slowOpen;
        private readonly bool _slowReads;

        public LateContent(byte[] body, bool slowOpen, bool slowReads)
        {
            _body = body;
            _slowOpen = slowOpen;
            _slowReads = slowReads;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task<Stream> CreateContentReadStreamAsync()
        {
            if (_slowOpen)
            {
                await Task.Delay(30).ConfigureAwait(false);
            }

            return new LateStream(_body, _slowReads);
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_body, 0, _body.Length);

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length;
            return true;
        }
    }

    private sealed class LateStream : MemoryStream
    {
        private readonly bool _slow;

        public LateStream(byte[] bytes, bool slow)
            : base(bytes)
        {
            _slow = slow;
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (_slow)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }

            return Read(buffer, offset, count);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_slow)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }

            return Read(buffer.Span);
        }
    }
}
