using System.Globalization;

namespace JobsModule;

/// <summary>
/// A part of a job that failed, as its provider names it: an Unstructured document with its error, an
/// ittybit task, a pyannoteAI job's error. Where a provider gives only a number (Convertly's failed_files),
/// one item without a name stands for that many parts (<see cref="Count"/>).
/// </summary>
public sealed class FailedItem
{
    internal FailedItem(string? name, string? error, int count = 1)
    {
        Name = name;
        Error = error;
        Count = count;
    }

    /// <summary>What failed, in the provider's words (a document, a task id, a job id); null when the provider names none.</summary>
    public string? Name { get; }

    /// <summary>Why it failed, in the provider's words, where it says.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716", Justification = "Error is the word scripts read, as on ProviderJob.")]
    public string? Error { get; }

    /// <summary>How many parts this item stands for: 1 for a named part, the provider's number for parts it does not name.</summary>
    public int Count { get; }

    /// <summary>"report.pdf: unsupported format", or "3 x (unnamed)" for parts known only by number.</summary>
    public override string ToString()
    {
        var what = (Count == 1 ? string.Empty : Count.ToString(CultureInfo.InvariantCulture) + " x ") + (Name ?? "(unnamed)");
        return Error is null ? what : what + ": " + Error;
    }
}
