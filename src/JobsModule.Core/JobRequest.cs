using System;
using System.Net.Http;

namespace JobsModule;

/// <summary>A request about one job that changes it (a cancel, a delete); such requests are never retried.</summary>
internal sealed class JobRequest
{
    public JobRequest(HttpMethod method, Uri uri, bool deletesJob = false)
    {
        Method = method;
        Uri = uri;
        DeletesJob = deletesJob;
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    /// <summary>True when the job and its results are gone afterwards (a provider whose only stop is a delete).</summary>
    public bool DeletesJob { get; }
}
