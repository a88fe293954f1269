using System.Net;
using System.Text;
using System.Text.Json;
using static JobsModule.Tests.Support.Bodies;

namespace JobsModule.Tests;

/// <summary>Pages are read as they arrive: jobs come out before the last byte, and no whole body is held.</summary>
public class StreamingTests
{
    private static async Task<(List<string> Items, PageEnvelope Page)> ReadInChunksAsync(string json, string? itemsProperty, int chunk)
    {
        var items = new List<string>();
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes(json), chunk);
        var page = await PageStreamReader.ReadAsync(stream, itemsProperty, item => items.Add(item.GetRawText()), CancellationToken.None);
        return (items, page);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Any_chunking_reads_the_same_items_and_fields(int chunk)
    {
        var json = """
            { "before": {"nested": [1, 2, {"x": "a\"b"}]}, "items" : [ {"id":"a","s":"é – 😀"}, 5, "text", null, [1,[2]], {"id":"b"} ],
              "total": 12345678901234, "nextCursor": "c\u00e9", "flag": true, "none": null }
            """;

        var (items, page) = await ReadInChunksAsync(json, "items", chunk);

        Assert.Equal(new[] { """{"id":"a","s":"é – 😀"}""", "5", "\"text\"", "null", "[1,[2]]", """{"id":"b"}""" }, items);
        Assert.Equal(6, page.ItemCount);
        Assert.Equal("""{"id":"b"}""", page.LastItem!.Value.GetRawText());
        Assert.Equal(12345678901234, page.Field("total")!.Value.GetInt64());
        Assert.Equal("cé", page.Field("nextCursor")!.Value.GetString());
        Assert.True(page.Field("flag")!.Value.GetBoolean());
        Assert.Null(page.Field("none"));
        Assert.Null(page.Field("absent"));
        Assert.Equal(3, page.Field("before")!.Value.GetProperty("nested").GetArrayLength());
    }

    [Fact]
    public async Task A_bare_array_is_read_item_by_item()
    {
        var (items, page) = await ReadInChunksAsync("""[{"id":"a"},{"id":"b"}]""", null, 2);

        Assert.Equal(2, items.Count);
        Assert.Equal(2, page.ItemCount);
    }

    [Fact]
    public async Task An_item_larger_than_the_buffer_is_read_whole()
    {
        var big = new string('x', 100_000);
        var (items, _) = await ReadInChunksAsync($$"""{"items":[{"id":"a","blob":"{{big}}"},{"id":"b"}]}""", "items", 8192);

        Assert.Equal(2, items.Count);
        Assert.Contains(big, items[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("""{"items":[{"id":"a"},{"id":""")]
    [InlineData("""<html>maintenance</html>""")]
    [InlineData("""{"items":[]} trailing""")]
    public async Task A_body_that_is_not_whole_JSON_is_a_JsonException(string json) =>
        await Assert.ThrowsAnyAsync<JsonException>(() => ReadInChunksAsync(json, "items", 5));

    [Theory]
    [InlineData("", 1, "the body is empty")]
    [InlineData(" \r\n", 1, "the body is empty")]
    [InlineData("""{"items":[{"id":"a"},{"id":""", 5, "the body ends before its JSON does")]
    [InlineData("""{"items":[{"id":"a"}]""", 4096, "the body ends before its JSON does")]
    [InlineData("""{"items":[]} trailing""", 5, "the body goes on after its JSON ends")]
    [InlineData("""{"items":[]}""" + "\n\n{}", 1, "the body goes on after its JSON ends")]
    public async Task A_body_that_is_empty_cut_short_or_followed_by_more_is_described_in_plain_words(string json, int chunk, string says)
    {
        var error = await Assert.ThrowsAnyAsync<JsonException>(() => ReadInChunksAsync(json, "items", chunk));
        Assert.Equal(says, error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task White_space_after_the_JSON_is_no_fault(int chunk)
    {
        var (items, _) = await ReadInChunksAsync("""{"items":[{"id":"a"}]}""" + " \t\r\n ", "items", chunk);

        Assert.Single(items);
    }

    [Theory]
    [InlineData("""[1,2]""", "items", "expected the response to be a JSON object but found an array")]
    [InlineData("""{"items":{}}""", "items", "expected 'items' to be a JSON array but found an object")]
    [InlineData("""{"other":[]}""", "items", "expected a 'items' property")]
    [InlineData("""{"id":"x"}""", null, "expected the response to be a JSON array but found an object")]
    public async Task The_wrong_shape_is_a_shape_error(string json, string? itemsProperty, string says)
    {
        var error = await Assert.ThrowsAsync<ProviderResponseShapeException>(() => ReadInChunksAsync(json, itemsProperty, 3));
        Assert.Equal(says, error.Message);
    }

    [Fact]
    public async Task The_items_before_a_cut_are_handed_on()
    {
        var items = new List<string>();
        using var stream = new ChunkedStream(Encoding.UTF8.GetBytes("""{"items":[{"id":"a"},{"id":"b"},{"id":"""), 4);

        await Assert.ThrowsAnyAsync<JsonException>(() => PageStreamReader.ReadAsync(stream, "items", item => items.Add(item.GetProperty("id").GetString()!), CancellationToken.None));

        Assert.Equal(new[] { "a", "b" }, items);
    }

    [Theory]
    [InlineData(1, new[] { "a" })]
    [InlineData(2, new string[0])]
    public void The_first_job_of_a_listing_is_handed_on_alone_and_the_rest_a_network_read_at_a_time(int pageNumber, string[] handedOnAtOnce)
    {
        var download = new PageDownload("Krea", pageNumber, new ListedPage(new ListingRemovals(false)));

        download.Add(new ProviderJob("Krea", "a", "completed", JobStatus.Succeeded));
        download.Add(new ProviderJob("Krea", "b", "completed", JobStatus.Succeeded));
        download.Add(new ProviderJob("Krea", "c", "completed", JobStatus.Succeeded));

        Assert.Equal(handedOnAtOnce, Available(download));
        download.HandOn();
        Assert.Equal(new[] { "a", "b", "c" }.Except(handedOnAtOnce), Available(download));
        download.HandOn();
        Assert.Empty(Available(download));
    }

    /// <summary>The ids of the jobs a consumer can take now, without waiting for more to be handed on.</summary>
    private static string[] Available(PageDownload download)
    {
        var ids = new List<string>();
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        try
        {
            foreach (var job in download.Jobs(null, soon.Token))
            {
                ids.Add(job.Id);
            }
        }
        catch (OperationCanceledException)
        {
            // Nothing more without waiting: that is the answer.
        }

        return ids.ToArray();
    }

    [Fact]
    public async Task The_first_job_is_written_before_the_page_has_finished_arriving()
    {
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var head = Encoding.UTF8.GetBytes("""{"items":[""" + KreaJob("first") + ",");
        var tail = Encoding.UTF8.GetBytes(KreaJob("second") + """],"next_cursor":null}""");
        var stub = new StubHandler((_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new GatedStream(head, tail, rest.Task)),
        }));
        var lister = new JobLister(new HttpClient(stub));

        using var jobs = lister.List(TestListing.Endpoint(new KreaProvider()), new JobQuery(), TestListing.Fast.Call(new CallLog(), default), new ListingCounts()).GetEnumerator();
        var first = Task.Run(() => jobs.MoveNext() ? jobs.Current.Id : null);

        Assert.Equal("first", await first.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(rest.Task.IsCompleted);
        rest.SetResult();
        Assert.True(jobs.MoveNext());
        Assert.Equal("second", jobs.Current.Id);
        Assert.False(jobs.MoveNext());
    }

    [Fact]
    public void A_page_cut_half_way_keeps_the_jobs_already_written_and_retries_drop_the_repeats()
    {
        var page = """{"items":[""" + KreaJob("a") + "," + KreaJob("b") + "," + KreaJob("c") + """],"next_cursor":null}""";
        var attempts = 0;
        var stub = new StubHandler((_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            // The first answer breaks after two jobs, as a reset connection does; the retry is whole.
            Content = new StreamContent(Interlocked.Increment(ref attempts) == 1 ? new BreakingStream(Encoding.UTF8.GetBytes(page), page.IndexOf("\"c\"", StringComparison.Ordinal)) : new MemoryStream(Encoding.UTF8.GetBytes(page))),
        }));

        var run = TestListing.Run(new KreaProvider(), stub).Succeeded();

        Assert.Equal(new[] { "a", "b", "c" }, run.Ids);
        Assert.Equal(2, run.Stub.Count);
    }

    [Fact]
    public void The_first_page_is_small_then_pages_grow_to_the_maximum()
    {
        var stub = new StubHandler(
            Respond.Json(KreaPage("c1", Enumerable.Range(0, 32).Select(i => "a" + i).ToArray())),
            Respond.Json(KreaPage(null, "b")));

        var run = TestListing.Run(new KreaProvider(), stub, options: TestListing.Fast with { FirstPageSize = 32 }).Succeeded();

        Assert.Equal(33, run.Jobs.Count);
        Assert.Equal(new[] { "/jobs?limit=32", "/jobs?cursor=c1&limit=1000" }, run.PathsAndQueries);
    }

    [Theory]
    [InlineData(5, "/jobs?limit=5")]
    [InlineData(500, "/jobs?limit=500")]
    public void A_limit_or_a_page_size_is_asked_for_as_is(int limit, string first)
    {
        var stub = new StubHandler(Respond.Json(KreaPage(null, "a")));

        TestListing.Run(new KreaProvider(), stub, new JobQuery { Limit = limit }, options: TestListing.Fast with { FirstPageSize = 32 }).Succeeded();
        var sized = new StubHandler(Respond.Json(KreaPage(null, "a")));
        TestListing.Run(new KreaProvider(), sized, new JobQuery { PageSize = 200 }, options: TestListing.Fast with { FirstPageSize = 32 }).Succeeded();

        Assert.Equal(first, Assert.Single(stub.PathsAndQueries));
        Assert.Equal("/jobs?limit=200", Assert.Single(sized.PathsAndQueries));
    }

    [Fact]
    public void A_consumer_that_stops_at_the_last_job_it_wants_still_gets_the_total()
    {
        // The total comes after the jobs in Convertly's page; Take(2) stops right after the second job.
        var stub = new StubHandler(Respond.Json(ConvertlyPage(true, 250, "a", "b")));
        var lister = new JobLister(new HttpClient(stub));
        var result = new ListingCounts();

        var jobs = lister.List(TestListing.Endpoint(new ConvertlyProvider()), new JobQuery { Limit = 2 }, TestListing.Fast.Call(new CallLog(), default), result).Take(2).ToList();

        Assert.Equal(2, jobs.Count);
        Assert.Equal(250, result.Total);
        Assert.Equal(1, stub.Count);
    }

    [Fact]
    public void A_Link_is_followed_while_the_page_size_stays_and_the_cursor_is_used_when_it_grows()
    {
        var stub = new StubHandler(
            Respond.Json(IttybitPage("a", "b")).WithHeader("Link", "<https://api.ittybit.com/jobs?limit=2&after=b>; rel=\"next\""),
            Respond.Json(IttybitPage("c", "d")).WithHeader("Link", "<https://api.ittybit.com/jobs?limit=2&after=d>; rel=\"next\""),
            Respond.Json("[]"));

        var run = TestListing.Run(new IttybitProvider(), stub, options: TestListing.Fast with { FirstPageSize = 2 }).Succeeded();

        Assert.Equal(new[] { "a", "b", "c", "d" }, run.Ids);
        Assert.Equal(new[] { "/jobs?limit=2", "/jobs?limit=100&after=b", "/jobs?limit=2&after=d" }, run.PathsAndQueries);
    }

    [Fact]
    public void The_default_first_page_is_32_so_Select_Object_First_16_costs_one_request()
    {
        Assert.Equal(32, ReadAhead.Default.FirstPageSize);
        Assert.Equal(16, ReadAhead.Default.PrefetchAfterJobs);
    }

    /// <summary>Hands out its bytes a few at a time, as a slow network does.</summary>
    private sealed class ChunkedStream : MemoryStream
    {
        private readonly int _chunk;

        public ChunkedStream(byte[] bytes, int chunk)
            : base(bytes)
        {
            _chunk = chunk;
        }

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, _chunk));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));
    }

    /// <summary>Sends its head at once and its tail only when the test says so.</summary>
    private sealed class GatedStream : Stream
    {
        private readonly byte[] _head;
        private readonly byte[] _tail;
        private readonly Task _gate;
        private int _position;

        public GatedStream(byte[] head, byte[] tail, Task gate)
        {
            _head = head;
            _tail = tail;
            _gate = gate;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (_position >= _head.Length)
            {
                await _gate.WaitAsync(cancellationToken);
            }

            var all = _position < _head.Length ? _head : _tail;
            var start = _position < _head.Length ? _position : _position - _head.Length;
            var n = Math.Min(count, all.Length - start);
            Array.Copy(all, start, buffer, offset, n);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, default).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Breaks like a reset connection after <c>breakAt</c> bytes.</summary>
    private sealed class BreakingStream : MemoryStream
    {
        private readonly int _breakAt;

        public BreakingStream(byte[] bytes, int breakAt)
            : base(bytes)
        {
            _breakAt = breakAt;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (Position >= _breakAt)
            {
                throw new IOException("Connection reset by peer");
            }

            return Task.FromResult(base.Read(buffer, offset, (int)Math.Min(count, _breakAt - Position)));
        }
    }
}
