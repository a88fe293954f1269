namespace JobsModule.Transport;

/// <summary>A request about one job that changes it (a cancel, a delete); such requests are never retried.</summary>
internal sealed class JobRequest
{
    public JobRequest(HttpMethod method, Uri uri, bool deletesJob = false, bool removesFromList = false)
    {
        Method = method;
        Uri = uri;
        DeletesJob = deletesJob;
        RemovesFromList = deletesJob || removesFromList;
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    /// <summary>True when the job and its results are gone afterwards (a provider whose only stop is a delete).</summary>
    public bool DeletesJob { get; }

    /// <summary>
    /// True when the job is no longer listed afterwards, whatever the filter: a delete, or a stop after
    /// which the provider removes the job (Convertly cancels a pending job by deleting it).
    /// </summary>
    public bool RemovesFromList { get; }
}
