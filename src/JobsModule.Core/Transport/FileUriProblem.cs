namespace JobsModule.Transport;

/// <summary>Why a URL of an output (from a job's data, an API's answer or a redirect) is not fetched.</summary>
internal enum FileUriProblem
{
    None,

    /// <summary>Not an absolute http or https URL (or one with user info, which could send a password).</summary>
    NotHttp,

    /// <summary>Plain http to another machine: the file would travel unencrypted and could be changed on the way.</summary>
    Insecure,

    /// <summary>This machine (localhost, 127.0.0.1, [::1]), named by a server that is elsewhere.</summary>
    ThisMachine,

    /// <summary>The URL holds a key the module knows: fetching it would send the key where it does not belong.</summary>
    HoldsKey,
}
