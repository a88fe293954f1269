using System;
using System.Text.Json;

namespace JobsModule.Providers;

/// <summary>
/// One request a finished job of a provider may need for Get-ProviderJob -Detailed (and
/// Wait-ProviderJob -Detailed), declared by the adapter: which jobs need it, where it goes, and how its
/// answer sets the job's Outcome, Error and FailedItems. An adapter lists its reads in order; a read may
/// depend on what the ones before it set (Unstructured's failed files only after details that report
/// errors). The engine (<see cref="Operations.DetailReader"/>) sends them, paced and concurrently, and
/// keeps the job as it was when one fails.
/// </summary>
internal sealed class DetailRead
{
    private readonly Func<ProviderJob, bool> _wanted;

    private DetailRead(string what, Func<ProviderJob, bool> wanted)
    {
        What = what;
        _wanted = wanted;
    }

    /// <summary>What the read asks for, in messages: "details", "failed files", "the job".</summary>
    public string What { get; }

    /// <summary>For a read of another document about the job: its URL from the base URL and the job's id.</summary>
    public Func<Uri, string, Uri>? DocumentUri { get; private set; }

    /// <summary>
    /// The property of a document's answer that holds the id of the job it describes, checked against the
    /// job asked about (an answer about another job is refused); null when the answer names none.
    /// </summary>
    public string? IdProperty { get; private set; }

    /// <summary>Reads a document's answer (an object) into the job; a value it cannot read loses that value only.</summary>
    public Action<ProviderJob, JsonElement>? ApplyDocument { get; private set; }

    /// <summary>
    /// For a read of the job's own single-job endpoint (which already checks the id): copies what that
    /// endpoint adds into the listed job (the first argument) from the job as read alone (the second).
    /// </summary>
    public Action<ProviderJob, ProviderJob>? ApplyJob { get; private set; }

    /// <summary>
    /// True when <paramref name="job"/> needs this read: it is finished (never a queued or running job),
    /// the adapter's rule says its listing is silent, and, for a read of the job's own endpoint, the job
    /// did not come from that endpoint already.
    /// </summary>
    public bool IsWanted(ProviderJob job) =>
        job.Status.IsFinished() && !(ApplyJob is not null && job.ReadAlone) && _wanted(job);

    /// <summary>A read of another document about a finished job, such as Unstructured's /jobs/{id}/details.</summary>
    public static DetailRead OfDocument(string what, Func<ProviderJob, bool> wanted, Func<Uri, string, Uri> uri, string? idProperty, Action<ProviderJob, JsonElement> apply) =>
        new(what, wanted) { DocumentUri = uri, IdProperty = idProperty, ApplyDocument = apply };

    /// <summary>A read of the job's own single-job endpoint, for a provider whose list items leave out what it adds.</summary>
    public static DetailRead OfJob(Func<ProviderJob, bool> wanted, Action<ProviderJob, ProviderJob> apply) =>
        new("the job", wanted) { ApplyJob = apply };
}
