namespace JobsModule.Outputs;

/// <summary>
/// One output of a finished job, as its provider's adapter describes it: where the bytes are, whether
/// the key goes with the request, the name the provider suggests and the size it gives. The adapter
/// says nothing about folders, names on disk, keys or retries; <see cref="OutputSaver"/> does the rest.
/// </summary>
internal sealed class JobOutput
{
    private JobOutput(JobOutputKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public JobOutputKind Kind { get; }

    /// <summary>The file name the provider suggests, before the module's name rule (<see cref="OutputFileName"/>); empty to take it from the URL.</summary>
    public string Name { get; }

    /// <summary>For <see cref="JobOutputKind.FileUrl"/>: the URL exactly as the job's data gives it, checked before anything is sent.</summary>
    public string? Url { get; private init; }

    /// <summary>For <see cref="JobOutputKind.ApiContent"/> and <see cref="JobOutputKind.ApiLink"/>: the request under the base URL.</summary>
    public Uri? ApiUri { get; private init; }

    /// <summary>For <see cref="JobOutputKind.ApiLink"/>: the JSON body of the POST.</summary>
    public string? RequestBody { get; private init; }

    /// <summary>For <see cref="JobOutputKind.ApiLink"/>: the property of the answer that holds the file's URL.</summary>
    public string? LinkProperty { get; private init; }

    /// <summary>For <see cref="JobOutputKind.Inline"/>: the bytes to write.</summary>
    public ReadOnlyMemory<byte> Content { get; private init; }

    /// <summary>The size in bytes the provider gives for the file, checked when the answer has no Content-Length; null when it gives none.</summary>
    public long? Size { get; private init; }

    /// <summary>A file behind a URL from the job's data (a file host, a pre-signed URL), fetched without the key.</summary>
    public static JobOutput FileAt(string url, string? name = null, long? size = null) =>
        new(JobOutputKind.FileUrl, name ?? string.Empty) { Url = url, Size = size is >= 0 ? size : null };

    /// <summary>A file the provider's API serves itself, under its base URL, with the key.</summary>
    public static JobOutput FromApi(Uri uri, string name) => new(JobOutputKind.ApiContent, name) { ApiUri = uri };

    /// <summary>Every text of <paramref name="urls"/> (a list of a job's data) as a file behind a URL, each URL once, in order.</summary>
    public static List<JobOutput> FilesAt(IEnumerable<object?>? urls)
    {
        var outputs = new List<JobOutput>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var url in urls ?? Array.Empty<object?>())
        {
            if (url is string { Length: > 0 } text && seen.Add(text))
            {
                outputs.Add(FileAt(text));
            }
        }

        return outputs;
    }

    /// <summary>A file whose URL the provider's API gives in answer to a POST of <paramref name="body"/> under its base URL, in the property <paramref name="linkProperty"/>.</summary>
    public static JobOutput LinkFromApi(Uri uri, string body, string linkProperty, string name) =>
        new(JobOutputKind.ApiLink, name) { ApiUri = uri, RequestBody = body, LinkProperty = linkProperty };

    /// <summary>Bytes the job's own answer holds, written as they are.</summary>
    public static JobOutput Inline(string name, ReadOnlyMemory<byte> content) =>
        new(JobOutputKind.Inline, name) { Content = content, Size = content.Length };
}
