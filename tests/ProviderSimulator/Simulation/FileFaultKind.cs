namespace ProviderSimulator.Simulation;

/// <summary>What the file host does instead of serving a file whole (see <see cref="FileFault"/>).</summary>
internal enum FileFaultKind
{
    /// <summary>Content-Length of the whole file, half the body, then the connection is aborted.</summary>
    Cut,

    /// <summary>404 with an object store's NoSuchKey body: the file is gone.</summary>
    Expired,

    /// <summary>Half the body, a pause of delayMs, then the rest.</summary>
    Slow,

    /// <summary>The status given (with Retry-After when one is set), a short text body.</summary>
    Status,

    /// <summary>302 to location, or to the same path with ?redirected=1.</summary>
    Redirect,

    /// <summary>The whole file without Content-Length (chunked), as some stores and proxies send it.</summary>
    Chunked,
}
