using System.Text.Json;
using Microsoft.Extensions.Primitives;
using ProviderSimulator.Providers;

namespace ProviderSimulator.Simulation;

/// <summary>
/// One provider request as tests see it. Key values are never recorded, only which header carried one.
/// Fault names the injected faults (option names, comma-separated) that shaped the response, or is null.
/// AcceptVersion is the request's Accept-Version header as sent (ittybit's API versioning; not secret), or null.
/// </summary>
internal sealed record LogEntry(
    long Seq, string Provider, string Method, string Path, string Query, int Status,
    DateTime StartedAt, DateTime EndedAt, string AuthScheme, string? Fault, string? AcceptVersion)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("seq", Seq);
        w.WriteString("provider", Provider);
        w.WriteString("method", Method);
        w.WriteString("path", Path);
        w.WriteString("query", Query);
        w.WriteNumber("status", Status);
        w.WriteString("startedAt", JsonOut.IsoMs(StartedAt));
        w.WriteString("endedAt", JsonOut.IsoMs(EndedAt));
        w.WriteString("authScheme", AuthScheme);
        WriteNullable(w, "fault", Fault);
        WriteNullable(w, "acceptVersion", AcceptVersion);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}

/// <summary>Thread-safe, append-only log of every request under a provider prefix (control requests excluded).</summary>
internal sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly List<LogEntry> _entries = [];
    private long _seq;

    /// <summary>Numbers a request when it arrives, so seq is arrival order even when responses overlap.</summary>
    public long NextSeq() => Interlocked.Increment(ref _seq);

    public void Add(long seq, Provider provider, HttpContext ctx, DateTime startedAt, DateTime endedAt, int status)
    {
        HttpRequest r = ctx.Request;
        string path = r.PathBase.Add(r.Path).Value ?? string.Empty;
        string query = r.QueryString.Value ?? string.Empty;   // raw, as received, with its leading '?'
        string? fault = Faults.Get(ctx);
        // Repeated headers come back comma-joined, as a proxy would fold them.
        string? acceptVersion = r.Headers.TryGetValue("Accept-Version", out StringValues version) ? version.ToString() : null;
        lock (_lock)
        {
            _entries.Add(new LogEntry(seq, provider.Id, r.Method, path, query, status, startedAt, endedAt, AuthScheme(r), fault, acceptVersion));
        }
    }

    /// <summary>Completed requests in arrival (seq) order, optionally for one provider.</summary>
    public List<LogEntry> Snapshot(string? providerId)
    {
        List<LogEntry> copy;
        lock (_lock)
        {
            copy = providerId is null
                ? [.. _entries]
                : _entries.FindAll(e => string.Equals(e.Provider, providerId, StringComparison.OrdinalIgnoreCase));
        }
        copy.Sort(static (a, b) => a.Seq.CompareTo(b.Seq));
        return copy;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            Interlocked.Exchange(ref _seq, 0);
        }
    }

    private static string AuthScheme(HttpRequest r)
    {
        string? authorization = r.Headers.Authorization.FirstOrDefault();
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return "bearer";
        }
        if (r.Headers.ContainsKey("x-api-key"))
        {
            return "x-api-key";
        }
        if (r.Headers.ContainsKey("unstructured-api-key"))
        {
            return "unstructured-api-key";
        }
        return "none";
    }
}
