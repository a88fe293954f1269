using System.Net;
using System.Text;

namespace JobsModule.Tests.Support;

/// <summary>One request as the stub saw it: method, URI and every request header.</summary>
public sealed class RecordedRequest
{
    public RecordedRequest(HttpRequestMessage request)
    {
        Method = request.Method;
        Uri = request.RequestUri ?? throw new InvalidOperationException("A request without a URI.");
        foreach (var header in request.Headers)
        {
            Headers[header.Key] = string.Join(",", header.Value);
        }
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Thrown by the stub when the code under test sends a request the test did not expect.</summary>
public sealed class UnexpectedRequestException : Exception
{
    public UnexpectedRequestException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// An HttpMessageHandler that records every request and answers from a queue of responses
/// or from a function. Safe to call from the lister's background prefetch.
/// </summary>
public sealed class StubHandler : HttpMessageHandler
{
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly Queue<HttpResponseMessage> _queue = new();
    private readonly Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>>? _respond;

    public StubHandler(params HttpResponseMessage[] responses)
    {
        foreach (var response in responses)
        {
            _queue.Enqueue(response);
        }
    }

    public StubHandler(Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        _respond = respond;
    }

    public StubHandler(Func<RecordedRequest, int, HttpResponseMessage> respond)
        : this((request, index, _) => Task.FromResult(respond(request, index)))
    {
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>The path and query of each request, in order.</summary>
    public IReadOnlyList<string> PathsAndQueries => Requests.Select(request => request.Uri.PathAndQuery).ToList();

    /// <summary>Waits (generously) until at least <paramref name="count"/> requests arrived; false if they never did.</summary>
    public async Task<bool> WaitForRequestsAsync(int count, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(5);
        }

        return true;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var recorded = new RecordedRequest(request);
        int index;
        HttpResponseMessage? queued = null;
        lock (_gate)
        {
            index = _requests.Count;
            _requests.Add(recorded);
            if (_respond is null)
            {
                if (_queue.Count == 0)
                {
                    throw new UnexpectedRequestException($"Request {index + 1} ({recorded.Uri}) was not expected: no response is queued.");
                }

                queued = _queue.Dequeue();
            }
        }

        if (queued is not null)
        {
            queued.RequestMessage = request;
            return Task.FromResult(queued);
        }

        return _respond!(recorded, index, cancellationToken);
    }
}

/// <summary>Response builders.</summary>
internal static class Respond
{
    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        Text(body, "application/json", status);

    public static HttpResponseMessage Text(string body, string mediaType, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    public static HttpResponseMessage Status(int status, string body = "", string mediaType = "application/json") =>
        Text(body, mediaType, (HttpStatusCode)status);

    public static HttpResponseMessage WithHeader(this HttpResponseMessage response, string name, string value)
    {
        if (!response.Headers.TryAddWithoutValidation(name, value))
        {
            throw new InvalidOperationException($"Could not add header {name}.");
        }

        return response;
    }

    /// <summary>Waits until the request is cancelled, then reports the cancellation as HttpClient would.</summary>
    public static async Task<HttpResponseMessage> NeverAsync(CancellationToken token)
    {
        await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
        throw new InvalidOperationException("unreachable");
    }
}
