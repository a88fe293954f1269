using System.Text;
using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>
/// The providers' file host: a second origin (http://localhost:&lt;its own port&gt;, so another host and
/// another port than the APIs' 127.0.0.1) that serves every job's output files, as Krea's, ittybit's and
/// Convertly's result URLs and pyannoteAI's media download URLs point to a host that is not the API.
/// Any path is a file of <see cref="Size"/> bytes computed from the path (<see cref="FileContent"/>).
/// It asks for no credential and logs every credential header it is sent, so tests can check that none
/// ever arrives; faults (<see cref="FileFault"/>) cut, expire, slow down, fail or redirect chosen files.
/// </summary>
internal sealed class FileHost
{
    public const long DefaultSize = 4096;

    /// <summary>The largest file the host serves (files are computed, so size costs nothing but time).</summary>
    public const long MaxSize = 8L * 1024 * 1024 * 1024;

    /// <summary>Time for half a body to leave the socket before a cut aborts the connection.</summary>
    private const int DrainBeforeAbortMs = 100;

    private static readonly string[] CredentialHeaders = ["Authorization", "Proxy-Authorization", "Cookie", "x-api-key", "unstructured-api-key"];

    private static readonly byte[] NoSuchKey = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>\n");

    private readonly Lock _lock = new();
    private long _size = DefaultSize;
    private IReadOnlyList<FileFault> _faults = [];

    /// <summary>The port it listens on, known once Kestrel has bound.</summary>
    public int Port { get; set; }

    /// <summary>http://localhost:port: another host name than the APIs' 127.0.0.1, and another port.</summary>
    public string Origin => "http://localhost:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The length of every file it serves.</summary>
    public long Size => Interlocked.Read(ref _size);

    public FileLog Log { get; } = new();

    /// <summary>The URL of the file at <paramref name="path"/> (no leading slash).</summary>
    public string Url(string path) => Origin + "/" + path;

    public void Reset()
    {
        lock (_lock)
        {
            Interlocked.Exchange(ref _size, DefaultSize);
            _faults = [];
        }
        Log.Clear();
    }

    /// <summary>Merges {"size"?, "faults"?}: size in bytes (0 to 8 GiB); faults replaces the list (null or [] clears it). Returns an error or null.</summary>
    public string? MergeOptions(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return "body must be a JSON object";
        }
        long? size = null;
        List<FileFault>? faults = null;
        foreach (JsonProperty p in body.EnumerateObject())
        {
            JsonElement v = p.Value;
            switch (p.Name.ToLowerInvariant())
            {
                case "size" when v.TryGetInt64(out long bytes) && bytes is >= 0 and <= MaxSize:
                    size = bytes;
                    break;
                case "faults" when v.ValueKind == JsonValueKind.Null:
                    faults = [];
                    break;
                case "faults" when v.ValueKind == JsonValueKind.Array:
                    faults = [];
                    foreach (JsonElement item in v.EnumerateArray())
                    {
                        if (FileFault.Parse(item, out string? error) is not { } fault)
                        {
                            return error;
                        }
                        faults.Add(fault);
                    }
                    break;
                default:
                    return $"unknown option or invalid value: '{p.Name}'";
            }
        }
        lock (_lock)
        {
            if (size is long given)
            {
                Interlocked.Exchange(ref _size, given);
            }
            if (faults is not null)
            {
                _faults = faults;
            }
        }
        return null;
    }

    public void WriteOptions(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("origin", Origin);
        w.WriteNumber("size", Size);
        w.WriteStartArray("faults");
        foreach (FileFault fault in _faults)
        {
            fault.Write(w);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Answers every request that arrives on the file host's port, and logs it.</summary>
    public async Task ServeAsync(HttpContext ctx)
    {
        long seq = Log.NextSeq();
        DateTime started = DateTime.UtcNow;
        HttpRequest r = ctx.Request;
        string path = r.Path.Value ?? "/";
        List<string> credentials = CredentialHeaders.Where(header => r.Headers.ContainsKey(header)).ToList();
        FileFault? fault = null;
        long sent = 0;
        try
        {
            if (!HttpMethods.IsGet(r.Method) && !HttpMethods.IsHead(r.Method))
            {
                ctx.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }
            fault = _faults.FirstOrDefault(candidate => candidate.Takes(path));
            switch (fault?.Kind)
            {
                case FileFaultKind.Expired:
                    ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                    ctx.Response.ContentType = "application/xml";
                    ctx.Response.ContentLength = NoSuchKey.Length;
                    await ctx.Response.Body.WriteAsync(NoSuchKey, ctx.RequestAborted).ConfigureAwait(false);
                    return;
                case FileFaultKind.Status:
                    ctx.Response.StatusCode = fault.Status;
                    if (fault.RetryAfter is { } retryAfter)
                    {
                        ctx.Response.Headers.RetryAfter = retryAfter;
                    }
                    await ctx.Response.WriteAsync("Simulated file host failure\n", ctx.RequestAborted).ConfigureAwait(false);
                    return;
                case FileFaultKind.Redirect:
                    ctx.Response.StatusCode = StatusCodes.Status302Found;
                    ctx.Response.Headers.Location = fault.Location ?? path + "?redirected=1";
                    return;
            }

            long size = Size;
            int offset = FileContent.Offset(path);
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            ctx.Response.ContentType = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json" : "application/octet-stream";
            if (fault?.Kind != FileFaultKind.Chunked)
            {
                ctx.Response.ContentLength = size;
            }
            if (HttpMethods.IsHead(r.Method))
            {
                return;
            }
            long half = size / 2;
            if (fault?.Kind is FileFaultKind.Cut or FileFaultKind.Slow)
            {
                sent = await WriteRangeAsync(ctx, offset, 0, half).ConfigureAwait(false);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                if (fault.Kind == FileFaultKind.Cut)
                {
                    await Task.Delay(DrainBeforeAbortMs, ctx.RequestAborted).ConfigureAwait(false);
                    ctx.Abort();
                    return;
                }
                await Task.Delay(fault.DelayMs, ctx.RequestAborted).ConfigureAwait(false);
                sent += await WriteRangeAsync(ctx, offset, half, size).ConfigureAwait(false);
                return;
            }
            sent = await WriteRangeAsync(ctx, offset, 0, size).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or was stopped): nothing more to send.
        }
        finally
        {
            int status = ctx.RequestAborted.IsCancellationRequested && sent < Size && fault?.Kind != FileFaultKind.Cut ? 499 : ctx.Response.StatusCode;
            Log.Add(new FileLogEntry(seq, r.Method, r.Host.Value ?? string.Empty, path, r.QueryString.Value ?? string.Empty, status, sent,
                credentials, fault?.Kind.ToString().ToLowerInvariant(), started, DateTime.UtcNow));
        }
    }

    private static async Task<long> WriteRangeAsync(HttpContext ctx, int offset, long from, long to)
    {
        long sent = 0;
        for (long at = from; at < to;)
        {
            int count = (int)Math.Min(FileContent.ChunkSize, to - at);
            await ctx.Response.Body.WriteAsync(FileContent.Slice(offset, at, count), ctx.RequestAborted).ConfigureAwait(false);
            at += count;
            sent += count;
        }
        return sent;
    }
}
