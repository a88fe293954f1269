using JobsModule.Listing;
using JobsModule.Providers;

namespace JobsModule;

/// <summary>
/// One job on one provider, in the provider-neutral shape every provider shares.
/// Providers with documented fields of their own derive from this type (see Providers/).
/// </summary>
/// <remarks>
/// PowerShell lists a .NET object's properties (Select-Object *, Export-Csv, Format-List *,
/// ConvertTo-Json) in reflection order, which puts a class's own properties before the ones it
/// inherits. So the properties below are virtual, in the order a spreadsheet wants them, and each
/// subclass overrides them all before declaring its own: the common columns come first for every job
/// type, at no cost per object. The times come twice: as text (CreatedAtIso and the like, ISO 8601 in
/// UTC to the millisecond, which Export-Csv and ConvertTo-Json write as they are) among the common
/// columns, and as DateTimeOffset (CreatedAt and the like, which compare rightly with Get-Date in any
/// time zone) after every other property, since only the text reads back from a file.
/// </remarks>
public class ProviderJob
{
    private JobDataObject? _extraFields;

    public ProviderJob(string provider, string id, string? providerStatus, JobStatus status)
    {
        Provider = provider;
        Id = id;
        ProviderStatus = providerStatus;
        Status = status;
        Outcome = OutcomeRule.Of(status);
    }

    /// <summary>The provider's display name, for example Krea.</summary>
    public virtual string Provider { get; }

    /// <summary>The account the job was listed with.</summary>
    public virtual string? Account { get; internal set; }

    /// <summary>The provider's id of the job; unique together with <see cref="Provider"/>.</summary>
    public virtual string Id { get; }

    public virtual JobStatus Status { get; private set; }

    /// <summary>The status exactly as the provider sent it.</summary>
    public virtual string? ProviderStatus { get; private set; }

    /// <summary>
    /// What the provider's own data says of the result (see <see cref="JobOutcome"/>): Status says where
    /// the job is, Outcome whether its work was done in full. From the listing where it says enough;
    /// Get-ProviderJob -Detailed reads what a provider's detail endpoints add where it does not.
    /// </summary>
    public virtual JobOutcome Outcome { get; internal set; }

    /// <summary>What sort of job it is, in the provider's words (ittybit kind, Krea type, job_type elsewhere).</summary>
    public virtual string? Kind { get; internal set; }

    /// <summary><see cref="CreatedAt"/> as ISO 8601 text in UTC, to the millisecond: 2026-12-07T16:51:53.123Z.</summary>
    public virtual string? CreatedAtIso => IsoText(CreatedUtc);

    /// <summary><see cref="StartedAt"/> as ISO 8601 text in UTC, to the millisecond.</summary>
    public virtual string? StartedAtIso => IsoText(StartedUtc);

    /// <summary><see cref="CompletedAt"/> as ISO 8601 text in UTC, to the millisecond.</summary>
    public virtual string? CompletedAtIso => IsoText(CompletedUtc);

    /// <summary><see cref="UpdatedAt"/> as ISO 8601 text in UTC, to the millisecond.</summary>
    public virtual string? UpdatedAtIso => IsoText(UpdatedUtc);

    /// <summary>How long the job ran, where the provider says or its timestamps tell.</summary>
    public virtual TimeSpan? Duration { get; internal set; }

    /// <summary>
    /// <see cref="Duration"/> in seconds, null when it is: a plain number for ConvertTo-Json (which writes
    /// a TimeSpan as an object of its fifteen parts), spreadsheets and Measure-Object (which cannot add
    /// TimeSpans). Computed when read, so it costs nothing while listing.
    /// </summary>
    public virtual double? DurationSeconds => Duration?.TotalSeconds;

    /// <summary>Percent complete, where the provider reports it.</summary>
    public virtual int? Progress { get; internal set; }

    /// <summary>The provider's failure message, if any.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification =
        "Error is the column scripts read; it is overridden only by the module's own sealed job classes, all in C#.")]
    public virtual string? Error { get; internal set; }

    /// <summary>
    /// The parts of the job that failed, each with a name and its error, where the provider lists them
    /// (Unstructured's failed files, ittybit's failed tasks, pyannoteAI's error), or one unnamed item with
    /// a count where it gives only a number (Convertly's failed_files); null when nothing is known to have failed.
    /// </summary>
    public virtual FailedItemList? FailedItems { get; internal set; }

    /// <summary>Every field the provider sent that its documentation does not list, so nothing is lost.</summary>
    public virtual JobDataObject ExtraFields
    {
        // Made when first asked for: most jobs have no extra field, and a listing makes many jobs.
        get => _extraFields ??= new JobDataObject();
    }

    /// <summary>
    /// The page of the listing that wrote this job, so that a stop or delete that takes the job out of
    /// the list can tell that listing to step its next offset page back (null for a job read by id).
    /// </summary>
    internal ListedPage? ListedOn { get; set; }

    /// <summary>True for a job read from its provider's single-job endpoint rather than a list page: what that endpoint adds is already here.</summary>
    internal bool ReadAlone { get; set; }

    /// <summary>The provider's undocumented fields; null (none) costs nothing until someone asks.</summary>
    internal void KeepExtras(JobDataObject? extras) => _extraFields = extras;

    /// <summary>
    /// Documented fields whose value could not be read (a date that is not a date, a number out of
    /// range), by name, with the value as the provider sent it; the typed property is empty. Null when
    /// every field was read.
    /// </summary>
    public virtual JobDataObject? UnreadableFields { get; internal set; }

    /// <summary>When the provider created the job, at offset zero (UTC); compares rightly with Get-Date and [datetime]::UtcNow.</summary>
    public DateTimeOffset? CreatedAt => AtUtc(CreatedUtc);

    /// <summary>When the job started running, where the provider says (ittybit), at offset zero.</summary>
    public DateTimeOffset? StartedAt => AtUtc(StartedUtc);

    /// <summary>When the job finished, where the provider says, at offset zero.</summary>
    public DateTimeOffset? CompletedAt => AtUtc(CompletedUtc);

    /// <summary>When the provider last changed the job, where it says, at offset zero.</summary>
    public DateTimeOffset? UpdatedAt => AtUtc(UpdatedUtc);

    // The times as the engine keeps, compares and merges them: UTC DateTimes, made public above only when read.
    internal DateTime? CreatedUtc { get; set; }

    internal DateTime? StartedUtc { get; set; }

    internal DateTime? CompletedUtc { get; set; }

    internal DateTime? UpdatedUtc { get; set; }

    public override string ToString() => Provider + "/" + Id;

    /// <summary>Adds fields that could not be read at all (too deep to parse) to <see cref="UnreadableFields"/>.</summary>
    internal void KeepUnreadable(JobDataObject? fields)
    {
        if (fields is null)
        {
            return;
        }

        var unreadable = UnreadableFields ??= new JobDataObject();
        foreach (var field in fields)
        {
            unreadable[field.Key] = field.Value;
        }
    }

    /// <summary>
    /// The ProviderStatus of a job the module writes after its provider removed it on a stop (Convertly,
    /// Krea), when the provider can no longer describe it. The module's own word, not the provider's:
    /// neither provider has a status for a job that is gone.
    /// </summary>
    internal const string DeletedStatus = "deleted";

    /// <summary>
    /// This job as cancelled, for a provider that deletes a job it cancels (Convertly, Krea) and so can
    /// no longer describe it: Status Canceled, ProviderStatus <see cref="DeletedStatus"/>.
    /// </summary>
    internal ProviderJob AsCanceled()
    {
        var copy = (ProviderJob)MemberwiseClone();
        copy.Status = JobStatus.Canceled;
        copy.ProviderStatus = DeletedStatus;
        copy.Outcome = JobOutcome.Canceled;
        return copy;
    }

    /// <summary>Fills Duration from the timestamps when the provider does not report one.</summary>
    internal void DeriveDuration()
    {
        if (Duration is null && CompletedUtc is { } end)
        {
            var start = StartedUtc ?? CreatedUtc;
            if (start is { } begin && end >= begin)
            {
                Duration = end - begin;
            }
        }
    }

    /// <summary>The round-trip text of a UTC time for files: always milliseconds, always Z, the same in every culture.</summary>
    private static string? IsoText(DateTime? utc) =>
        utc?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    // The engine's times are UTC, so the offset is zero: no local-time conversion, nothing out of range.
    private static DateTimeOffset? AtUtc(DateTime? utc) => utc is { } time ? new DateTimeOffset(time.Ticks, TimeSpan.Zero) : null;
}
