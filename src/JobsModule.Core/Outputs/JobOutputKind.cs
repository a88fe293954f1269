namespace JobsModule.Outputs;

/// <summary>Where one output of a finished job comes from, which decides whether the provider's key goes with the request.</summary>
internal enum JobOutputKind
{
    /// <summary>A URL from the job's own data (a file host, a pre-signed URL): fetched without the key, wherever it points.</summary>
    FileUrl,

    /// <summary>A GET under the provider's base URL, with the key, answered with the file's bytes.</summary>
    ApiContent,

    /// <summary>A POST under the provider's base URL, with the key, answered with JSON naming the file's URL, which is then fetched without the key.</summary>
    ApiLink,

    /// <summary>Bytes the job's own answer holds (pyannoteAI's JSON output): written as they are, nothing more is sent.</summary>
    Inline,
}
