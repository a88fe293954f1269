using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using ProviderSimulator.Simulation;

namespace ProviderSimulator.Providers;

/// <summary>
/// Where a provider writes a 200 list page. Normally the JSON streams straight into the response
/// pipe. When a body fault is active (corruptBody, slowBodyMs) the page is built in memory first and
/// then sent spoiled, slowly, or cut off. Either way <see cref="CompleteAsync"/> runs the "page
/// served" hook (insertBetweenPages / deleteBetweenPages) before the last byte can reach the client,
/// so a client never sees a page and then a dataset that has not moved yet.
/// </summary>
internal sealed class PageWriter : IAsyncDisposable
{
    /// <summary>How many pieces a slow body is cut into (fewer when the body is shorter).</summary>
    private const int SlowChunks = 10;

    /// <summary>Time for the half body to leave the socket before resetMidBody aborts the connection.</summary>
    private const int DrainBeforeAbortMs = 100;

    private const int ItemsPerFlush = 256;

    private static readonly byte[] ObjectInsteadOfArray = Encoding.UTF8.GetBytes("{\"unexpected\":true}");
    private static readonly byte[] ArrayInsteadOfObject = Encoding.UTF8.GetBytes("[1,2,3]");

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly HttpContext _ctx;
    private readonly ArrayBufferWriter<byte>? _buffer;
    private readonly BodyCorruption _corruption;
    private readonly int _slowBodyMs;
    private readonly bool _bodyIsArray;
    private readonly Action _served;

    public PageWriter(HttpContext ctx, BodyCorruption corruption, int slowBodyMs, bool bodyIsArray, Action served)
    {
        _ctx = ctx;
        _corruption = corruption;
        _slowBodyMs = slowBodyMs;
        _bodyIsArray = bodyIsArray;
        _served = served;
        if (corruption == BodyCorruption.None && slowBodyMs == 0)
        {
            Json = JsonOut.Start(ctx, StatusCodes.Status200OK);
        }
        else
        {
            _buffer = new ArrayBufferWriter<byte>(16 * 1024);
            Json = new Utf8JsonWriter(_buffer, WriterOptions);
        }
    }

    public Utf8JsonWriter Json { get; }

    /// <summary>
    /// Writes the given items (already inside an open array), pushing them to the client every few
    /// hundred items when streaming. Returns false when the client went away, so callers can stop early.
    /// </summary>
    public async Task<bool> WriteItemsAsync(IEnumerable<int> keys, Action<Utf8JsonWriter, int> writeItem)
    {
        if (_buffer is not null)
        {
            foreach (int key in keys)
            {
                writeItem(Json, key);
            }
            return true;
        }
        return await JsonOut.WriteItemsAsync(_ctx, Json, keys, writeItem).ConfigureAwait(false);
    }

    /// <summary>Ends the page: runs the served hook, then sends what is still to send (faults applied).</summary>
    public async Task CompleteAsync()
    {
        Json.Flush();
        _served();
        if (_buffer is null)
        {
            await _ctx.Response.BodyWriter.FlushAsync(_ctx.RequestAborted).ConfigureAwait(false);
            return;
        }

        ReadOnlyMemory<byte> page = _buffer.WrittenMemory;
        ReadOnlyMemory<byte> body = page;
        string contentType = JsonOut.ContentType;
        long contentLength;
        switch (_corruption)
        {
            case BodyCorruption.Html:
                body = Faults.MaintenancePage(StatusCodes.Status200OK);
                contentType = Faults.HtmlContentType;
                break;
            case BodyCorruption.Truncated or BodyCorruption.ResetMidBody:
                body = page[..HalfOnCharBoundary(page.Span)];
                break;
            case BodyCorruption.WrongShape:
                body = _bodyIsArray ? ObjectInsteadOfArray : ArrayInsteadOfObject;
                break;
            case BodyCorruption.Empty:
                body = ReadOnlyMemory<byte>.Empty;
                break;
        }
        // resetMidBody announces the whole page, so the client knows the body it got was cut short.
        contentLength = _corruption == BodyCorruption.ResetMidBody ? page.Length : body.Length;

        HttpResponse response = _ctx.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = contentLength;
        try
        {
            if (_slowBodyMs > 0)
            {
                await SendSlowlyAsync(response, body).ConfigureAwait(false);
            }
            else
            {
                await response.BodyWriter.WriteAsync(body, _ctx.RequestAborted).ConfigureAwait(false);
            }
            if (_corruption == BodyCorruption.ResetMidBody)
            {
                await response.BodyWriter.FlushAsync(_ctx.RequestAborted).ConfigureAwait(false);
                await Task.Delay(DrainBeforeAbortMs, _ctx.RequestAborted).ConfigureAwait(false);
                _ctx.Abort();
            }
        }
        catch (OperationCanceledException) when (_ctx.RequestAborted.IsCancellationRequested)
        {
            // The client gave up mid-body (timeout, cancellation): nothing left to do.
        }
    }

    public ValueTask DisposeAsync() => Json.DisposeAsync();

    /// <summary>Headers at once, then the body in up to <see cref="SlowChunks"/> pieces, each after its share of the delay.</summary>
    private async Task SendSlowlyAsync(HttpResponse response, ReadOnlyMemory<byte> body)
    {
        CancellationToken aborted = _ctx.RequestAborted;
        await response.StartAsync(aborted).ConfigureAwait(false);
        await response.BodyWriter.FlushAsync(aborted).ConfigureAwait(false);
        int chunks = Math.Clamp(body.Length, 1, SlowChunks);
        int sent = 0;
        for (int k = 0; k < chunks; k++)
        {
            // Integer shares that add up to exactly slowBodyMs.
            long delay = ((long)_slowBodyMs * (k + 1) / chunks) - ((long)_slowBodyMs * k / chunks);
            await Task.Delay(TimeSpan.FromMilliseconds(delay), aborted).ConfigureAwait(false);
            int end = (int)((long)body.Length * (k + 1) / chunks);
            FlushResult result = await response.BodyWriter.WriteAsync(body[sent..end], aborted).ConfigureAwait(false);
            sent = end;
            if (result.IsCompleted || result.IsCanceled)
            {
                return;
            }
        }
    }

    /// <summary>Half the length, moved back so a multi-byte UTF-8 character is never split.</summary>
    private static int HalfOnCharBoundary(ReadOnlySpan<byte> utf8)
    {
        int half = utf8.Length / 2;
        while (half > 0 && half < utf8.Length && (utf8[half] & 0xC0) == 0x80)
        {
            half--;
        }
        return half;
    }
}
