using System.Globalization;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ProviderSimulator.Simulation;

/// <summary>
/// Writes JSON straight into the response pipe with Utf8JsonWriter: no DTOs, no intermediate strings,
/// and long lists are flushed as they go so a million-item body never sits in memory.
/// </summary>
internal static class JsonOut
{
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>How many list items are written between two flushes of the response pipe.</summary>
    private const int ItemsPerFlush = 256;

    // Relaxed escaping sends non-ASCII text as real UTF-8, like the live services do, so clients
    // must decode the body as UTF-8 rather than relying on \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static readonly JsonWriterOptions IndentedOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = true,
    };

    public static Utf8JsonWriter Start(HttpContext ctx, int status)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = ContentType;
        return new Utf8JsonWriter(ctx.Response.BodyWriter, WriterOptions);
    }

    /// <summary>Writes a small document in one go.</summary>
    public static async Task WriteAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> build)
    {
        Utf8JsonWriter writer = Start(ctx, status);
        await using (writer.ConfigureAwait(false))
        {
            build(writer);
            await FinishAsync(ctx, writer).ConfigureAwait(false);
        }
    }

    /// <summary>Writes a small document in one go, indented (control API: read by humans too).</summary>
    public static async Task WriteIndentedAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> build)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = ContentType;
        var writer = new Utf8JsonWriter(ctx.Response.BodyWriter, IndentedOptions);
        await using (writer.ConfigureAwait(false))
        {
            build(writer);
            await FinishAsync(ctx, writer).ConfigureAwait(false);
        }
    }

    public static async Task FinishAsync(HttpContext ctx, Utf8JsonWriter writer)
    {
        writer.Flush();
        await ctx.Response.BodyWriter.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the given items (already inside an open array) and pushes them to the client every
    /// few hundred items. Returns false when the client went away, so callers can stop early.
    /// </summary>
    public static async Task<bool> WriteItemsAsync(
        HttpContext ctx, Utf8JsonWriter writer, IEnumerable<int> indices, Action<Utf8JsonWriter, int> writeItem)
    {
        PipeWriter pipe = ctx.Response.BodyWriter;
        int sinceFlush = 0;
        foreach (int index in indices)
        {
            writeItem(writer, index);
            if (++sinceFlush == ItemsPerFlush)
            {
                sinceFlush = 0;
                writer.Flush();
                FlushResult result = await pipe.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>ISO 8601 UTC with milliseconds, e.g. 2026-11-25T09:59:58.123Z.</summary>
    public static void WriteIsoMs(Utf8JsonWriter writer, string name, long unixMs)
    {
        Span<char> buffer = stackalloc char[32];
        int length = FormatIso(buffer, unixMs, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'");
        writer.WriteString(name, buffer[..length]);
    }

    /// <summary>ISO 8601 UTC with six fractional digits, the way Python's isoformat writes it.</summary>
    public static void WriteIsoMicros(Utf8JsonWriter writer, string name, long unixMs)
    {
        Span<char> buffer = stackalloc char[32];
        int length = FormatIso(buffer, unixMs, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'");
        writer.WriteString(name, buffer[..length]);
    }

    public static string IsoMs(long unixMs)
    {
        Span<char> buffer = stackalloc char[32];
        int length = FormatIso(buffer, unixMs, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'");
        return new string(buffer[..length]);
    }

    public static string IsoMs(DateTime utc) => utc.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);

    private static int FormatIso(Span<char> buffer, long unixMs, string format)
    {
        DateTime utc = DateTime.UnixEpoch.AddTicks(unixMs * TimeSpan.TicksPerMillisecond);
        utc.TryFormat(buffer, out int written, format, CultureInfo.InvariantCulture);
        return written;
    }
}
